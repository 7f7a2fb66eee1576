# Developer commands for Dealbook. README.md describes each target.

CARGO ?= cargo

.PHONY: run frontend test lint fmt postgres openapi bench

# Builds and serves the API on 127.0.0.1:8080 with the dev profile, which builds much
# faster than the release profile.
run: frontend
	$(CARGO) run -p dealbook -- serve

frontend:
	@true

# Runs the format check, clippy, then the unit tests and the API suite on SQLite and
# PostgreSQL.
test: lint postgres
	$(CARGO) test --workspace

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

# Starts the local PostgreSQL server for the tests, unless TEST_DATABASE_URL names another.
postgres:
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "TEST_DATABASE_URL is set, so the local PostgreSQL server is not checked"; \
	else \
		scripts/ensure-postgres.sh; \
	fi

# Regenerates the committed OpenAPI spec. Writing to a temporary file first keeps the old
# spec when the build fails or the command prints nothing.
openapi:
	$(CARGO) run -q -p dealbook -- openapi > openapi/openapi.json.tmp || { rm -f openapi/openapi.json.tmp; exit 1; }
	@if [ ! -s openapi/openapi.json.tmp ]; then \
		rm -f openapi/openapi.json.tmp; \
		echo "error: 'dealbook openapi' printed nothing, so openapi/openapi.json was left as it was" >&2; \
		exit 1; \
	fi
	mv openapi/openapi.json.tmp openapi/openapi.json

bench:
	scripts/bench.sh
