# Tally hub image. Build: docker build -t tally . (docker compose builds it for you, see docker-compose.yml)

# ---- build: compile and package the jar (tests run in CI, not in the image build)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# The hub module and what it builds on (the simulators, for its test sources); the sandbox is not built. The
# dependencies are not cached in a layer of their own: go-offline cannot resolve the not yet built sibling modules.
COPY pom.xml .
# The compiler flags Error Prone needs on Java 17
COPY .mvn ./.mvn
COPY simulators ./simulators
COPY hub ./hub
COPY sandbox/pom.xml ./sandbox/pom.xml
# -Pimage leaves the embedded PostgreSQL binaries out of the jar (production always has a real database); the
# executable jar is the hub's -exec one
RUN mvn -B -q -DskipTests -Pimage -pl hub -am package \
 && cp hub/target/tally-*-exec.jar /build/tally.jar

# ---- run: JRE only, non-root, routes/ and config/ next to the jar (mount them to edit without a rebuild)
FROM eclipse-temurin:17-jre
RUN groupadd --system tally && useradd --system --gid tally --home-dir /app tally
WORKDIR /app
COPY --from=build /build/tally.jar /app/tally.jar
COPY config ./config
COPY routes ./routes
RUN mkdir -p /app/data && chown -R tally:tally /app
USER tally
ENV SPRING_PROFILES_ACTIVE=prod \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
# 8080: integration port (/api, /webhooks, /status); 8081: management (/actuator/health, prometheus, hawtio, jolokia)
EXPOSE 8080 8081
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/tally.jar"]
