# syntax=docker/dockerfile:1
# The image of any one EMS service; two build args say which:
#   SERVICE  the service's module: user-service, order-service or audit-log-service
#   PORT     the port it listens on (its application.yaml's <service>.port: 8081, 8082, 8083), for EXPOSE and the
#            HEALTHCHECK
# Both are required. Build from the repository root (the build context must hold the parent pom and every module the
# service is built with):
#   docker build --build-arg SERVICE=user-service --build-arg PORT=8081 -t ems/user-service .
# compose.yml passes the same args for each service. Validated offline by checks/compose/run, once per service with
# compose.yml's args filled in.

# --- stage 1: build only SERVICE and the modules it needs, on Maven + Temurin 25 ---
FROM maven:3.9.11-eclipse-temurin-25 AS build
# ${SERVICE:?...} stops the build while the Dockerfile is read, before any step runs, if SERVICE is unset or empty
# (the COPY of ${SERVICE}/src would otherwise fail later, with a bare "/src: not found").
ARG SERVICE
ENV SERVICE="${SERVICE:?is required: --build-arg SERVICE=user-service, order-service or audit-log-service}"
WORKDIR /build
# .mvn/jvm.config opens the JDK compiler to error-prone, which runs in every compilation
COPY .mvn .mvn
# Maven reads every module listed in the parent pom, even with -pl, so every module's pom must be present.
COPY pom.xml ./
COPY core/pom.xml core/
COPY openapi-assembler/pom.xml openapi-assembler/
COPY local-postgres/pom.xml local-postgres/
COPY local-issuer/pom.xml local-issuer/
COPY test-support/pom.xml test-support/
COPY user-service/pom.xml user-service/
COPY order-service/pom.xml order-service/
COPY audit-log-service/pom.xml audit-log-service/
COPY system-tests/pom.xml system-tests/
COPY openapi-clients/pom.xml openapi-clients/
# Sources of the modules `-pl ${SERVICE} -am` builds, the same for every service (none depends on another service):
# core, openapi-assembler (the build-time OpenAPI step), and test-support with the tests' token issuer local-issuer
# (test-scope dependencies: -DskipTests still compiles the tests; they never reach the runtime stage, which copies
# target/libs only). Then the service's own.
COPY core/src core/src
COPY openapi-assembler/src openapi-assembler/src
COPY local-issuer/src local-issuer/src
COPY test-support/src test-support/src
COPY ${SERVICE}/src ${SERVICE}/src
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl ${SERVICE} -am package -DskipTests

# --- stage 2: the Temurin 25 JRE only ---
FROM eclipse-temurin:25-jre-noble
# The JRE image has neither curl nor wget: install curl for the HEALTHCHECK; run as a fixed non-root uid
# (numeric, so Kubernetes' runAsNonRoot can verify it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 ems \
    && useradd --system --uid 10001 --gid ems --no-create-home --shell /usr/sbin/nologin ems
# The args come after that RUN: an ARG changes the cache key of every RUN after it, and this way the layer above is
# one for all three images.
ARG SERVICE
ARG PORT
LABEL org.opencontainers.image.title="${SERVICE}"
# Build args do not exist in the running container, where the HEALTHCHECK runs: the port goes into the image as an
# ENV. (A container that moves the service to another port, e.g. with USER_SERVICE_PORT, sets HEALTHCHECK_PORT too.)
ENV HEALTHCHECK_PORT="${PORT:?is required: --build-arg PORT=<the service port>, e.g. 8081 for user-service}"
WORKDIR /app
# One jar name for every service, since the exec-form ENTRYPOINT below expands no variable (neither an ARG nor an
# ENV) and so cannot name ${SERVICE}.jar. The jar's manifest Class-Path points at libs/ beside it, whatever its name.
COPY --from=build /build/${SERVICE}/target/libs/ /app/libs/
COPY --from=build /build/${SERVICE}/target/${SERVICE}.jar /app/service.jar
USER 10001:10001
EXPOSE ${PORT}
# Readiness, not liveness: Docker never restarts an unhealthy container (restart policies act on exit only), so
# this status only tells compose (depends_on: service_healthy) and people whether the service can take traffic:
# database reachable, migrations applied, not draining. /health/live would say "healthy" while every API call
# answers 503 because PostgreSQL is away.
# Shell form (run as /bin/sh -c in the container), the one form in which ${HEALTHCHECK_PORT} is expanded; any failure
# of curl (refused, timeout, HTTP 503) is exit 1, "unhealthy".
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl --fail --silent --output /dev/null --max-time 2 "http://127.0.0.1:${HEALTHCHECK_PORT}/health/ready" || exit 1
# SIGTERM goes straight to the JVM (exec form, java is PID 1): readiness DOWN, drain (<SERVICE>_SHUTDOWN_DRAIN, e.g.
# USER_SERVICE_SHUTDOWN_DRAIN, 2 s), server stop with in-flight requests given SERVER_SHUTDOWN_dash_GRACE_dash_PERIOD
# (10 s), pool closed. Give the container more than that to stop (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# Heap from the container's memory limit; the C heap the JIT compilers free goes back to the system every 5 s (without
# it glibc keeps their peaks, 30-60 MB: README, "JVM flags"); more JVM options via JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/service.jar"]
