# Developer commands for Dealbook. README.md describes each target.

CARGO ?= cargo

.PHONY: run frontend browser-deps test lint fmt postgres openapi bench

# Builds the web app, then builds and serves it with the API on 127.0.0.1:8080 with the dev
# profile, which builds much faster than the release profile.
run: frontend
	$(CARGO) run -p dealbook -- serve

# Builds the web app into frontend/dist. scripts/build-frontend.sh first installs what is
# missing: the wasm32 target, wasm-bindgen-cli matching Cargo.lock and npm's binaryen
# (wasm-opt), the last two into tools/.
frontend:
	scripts/build-frontend.sh

# Installs Debian's Chromium, chromedriver and a Chinese font for the browser suite when one
# of them is missing. Without the font, Chinese text renders as empty boxes.
browser-deps:
	@if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null \
		|| ! fc-list :lang=zh 2> /dev/null | grep -q .; then \
		apt-get update && apt-get install -y chromium chromium-driver fonts-wqy-microhei; \
	fi

# Runs the format check, clippy, then the unit tests, the API suite on SQLite and
# PostgreSQL, and the browser suite against the freshly built web app, which must run here.
test: lint postgres frontend browser-deps
	DEALBOOK_BROWSER_TESTS=required $(CARGO) test --workspace

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
