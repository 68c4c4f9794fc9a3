# EMS: thin wrappers over Maven and the scripts in scripts/. `make` (or `make help`) lists the targets.
# Every target runs with JAVA_HOME pointing at a JDK >= 21 (found by scripts/java-home: $JAVA_HOME if it is
# new enough, else the newest JDK under /usr/lib/jvm), whatever the default `java` of the machine is.

SHELL := /bin/bash
.DEFAULT_GOAL := help

MVN ?= mvn -B
DETECTED_JAVA_HOME := $(shell scripts/java-home 2>/dev/null)
ifneq ($(DETECTED_JAVA_HOME),)
export JAVA_HOME := $(DETECTED_JAVA_HOME)
export PATH := $(JAVA_HOME)/bin:$(PATH)
endif

.PHONY: help jdk build run run-user run-order run-audit zipkin token signing-key test test-user test-order test-audit test-deploy lint \
        format clean deps docker-up docker-down

help: ## List the targets
	@echo "EMS make targets (JAVA_HOME=$(if $(DETECTED_JAVA_HOME),$(DETECTED_JAVA_HOME),<no JDK >= 21 found>)):"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

jdk: # fails with a clear message when no JDK >= 21 is found
	@scripts/java-home >/dev/null

build: jdk ## Build every module and install it (jars in <service>/target/, tests skipped)
	$(MVN) -DskipTests install

run: jdk ## Build what changed, then run the local token issuer (8090) and all three services, each with its own embedded PostgreSQL (Ctrl-C stops all)
	scripts/run-local

run-user: jdk ## Run user-service only (port 8081, embedded PostgreSQL on 15432)
	scripts/run-local user-service

run-order: jdk ## Run order-service only (port 8082, embedded PostgreSQL on 15433)
	scripts/run-local order-service

run-audit: jdk ## Run audit-log-service only (port 8083, embedded PostgreSQL on 15434)
	scripts/run-local audit-log-service

zipkin: jdk ## Run a Zipkin server on http://localhost:9411 (fetched from Maven Central once); then: OTEL_TRACES_EXPORTER=zipkin OTEL_TRACES_SAMPLER=always_on make run
	scripts/zipkin

signing-key: jdk ## Print a new audit checkpoint signing key (ECDSA P-256 private JWK) for AUDIT_LOG_SERVICE_SIGNING_KEY
	@$(MVN) -q -DskipTests package -pl audit-log-service -am >&2
	@java -cp audit-log-service/target/audit-log-service.jar dev.ems.audit.NewSigningKey

token: ## Print a token of the running local issuer for curl: make token ROLE=admin [SUB=alice] (roles: admin, auditor, user, service)
	@scripts/token "$(ROLE)" $(if $(SUB),"$(SUB)")

test: jdk ## Run all tests: mvn -B verify, the checks (checks/run-all: artifacts, deployment, local run), the load drills and the two-replica drill (short); the CI test command
	$(MVN) verify
	checks/run-all
	bench/drills --short
	bench/scale --short

test-user: jdk ## Run user-service tests only (installs what it is built with first, without tests)
	$(MVN) -q -DskipTests install -pl user-service -am
	$(MVN) verify -pl user-service

test-order: jdk ## Run order-service tests only (installs what it is built with first, without tests)
	$(MVN) -q -DskipTests install -pl order-service -am
	$(MVN) verify -pl order-service

test-audit: jdk ## Run audit-log-service tests only (installs what it is built with first, without tests)
	$(MVN) -q -DskipTests install -pl audit-log-service -am
	$(MVN) verify -pl audit-log-service

test-deploy: ## Run only the checks (artifacts, compose, Dockerfile, k8s, Prometheus, TypeScript clients, live, local run); needs scripts/install-test-tools
	checks/run-all

lint: jdk ## Compile everything with javac -Xlint:all,-path (warnings listed, errors fail) plus the Maven checks (error-prone, formatting)
	scripts/lint

format: jdk ## Format the Java sources: mvn spotless:apply (palantir-java-format; mvn verify fails on unformatted code)
	$(MVN) spotless:apply

clean: jdk ## Delete build output (target/); keeps the local databases in .data/
	$(MVN) -q clean

deps: jdk ## Download all dependencies and plugins into ~/.m2 (for offline work)
	$(MVN) -q -DskipTests install
	$(MVN) dependency:go-offline -DexcludeGroupIds=dev.ems

docker-up: ## Build the images and start everything in containers (compose.yml; needs a Docker engine)
	docker compose up -d --build

docker-down: ## Stop the containers (the named database volumes are kept; `docker compose down -v` drops them)
	docker compose down
