import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Build step of the simulators module (pom.xml, check-shopify-schema), run with the JDK's source launcher:
 * {@code java CheckNpmIntegrity.java <lock file> <directory of the packed tarball>}. Fails the build unless the
 * tarball {@code npm pack} fetched is byte for byte the package pinned in the lock (npm's sha512 integrity), so the
 * schema the simulator runs is exactly the pinned vendor file.
 */
public class CheckNpmIntegrity {

    public static void main(String[] args) throws Exception {
        Path lock = Path.of(args[0]);
        String[] pin = Files.readAllLines(lock).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).findFirst()
                .orElseThrow(() -> new IllegalStateException(lock + " names no package")).split("\\s+");
        String name = pin[0];
        String version = pin[1];
        String integrity = pin[2];
        Path tarball = Path.of(args[1], name.replace("@", "").replace('/', '-') + "-" + version + ".tgz");
        if (!Files.exists(tarball)) {
            fail(tarball + " is missing: npm pack fetched another version than " + lock + " pins (" + version + ")?");
        }
        byte[] digest = MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(tarball));
        String actual = "sha512-" + Base64.getEncoder().encodeToString(digest);
        if (!actual.equals(integrity)) {
            fail(tarball + " is not the pinned " + name + " " + version + ": integrity " + actual + ", pinned "
                    + integrity + " (" + lock + ")");
        }
        System.out.println("[check-shopify-schema] " + name + " " + version + " matches " + lock);
    }

    private static void fail(String message) {
        System.err.println("[check-shopify-schema] " + message);
        System.exit(1);
    }
}
