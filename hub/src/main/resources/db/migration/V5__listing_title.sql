-- A listing's human name as its channel's catalog import knows it (Shopify: "product title / variant title", the
-- variant part left out for Shopify's "Default Title" placeholder). Null where the channel import has no title
-- (Amazon, Walmart and generic stores are named by their SKU). Shown by the status page; never used for matching.
ALTER TABLE listing ADD COLUMN title TEXT;
