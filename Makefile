# Thin wrapper over CMake. `make demo` and `make test` are the two set-up commands.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB    ?= switchboard-demo.db

.PHONY: bench all deps deps-bindings deps-postgres deps-twilio build demo test test-c test-asan test-python test-go clean

# The bindings' tests run against the just-built library, without installing it.
LIBPATH = $(CURDIR)/$(BUILD)/libswitchboard.so.0
PYTHON  = /usr/bin/python3
# Go: no module proxy here, the library from this tree (switchboard-uninstalled.pc).
GOENV   = PKG_CONFIG_PATH=$(CURDIR)/$(BUILD) LD_LIBRARY_PATH=$(CURDIR)/$(BUILD) \
          GOPROXY=off GOFLAGS=-mod=mod GOCACHE=$(CURDIR)/$(BUILD)/go-cache

all: build

deps:
	@sh .ci/install-deps

deps-bindings:
	@sh .ci/install-deps python3 python3-pytest python3-pip python3-setuptools python3-wheel golang-go

# The throw-away PostgreSQL server the tests run beside (tests/postgres/server.sh).
deps-postgres:
	@sh .ci/install-deps postgresql
WITH_PG = sh $(CURDIR)/tests/postgres/server.sh

# The Twilio adapter's tests sign webhooks and build TwiML with the official
# Twilio Node SDK (tests/twilio/package-lock.json pins it), from npm.
deps-twilio:
	@command -v node >/dev/null || sh .ci/install-deps nodejs
	@command -v npm >/dev/null || sh .ci/install-deps npm
	@[ -d tests/twilio/node_modules/twilio ] || npm ci --prefix tests/twilio --no-audit --no-fund --loglevel=error

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/demo $(DEMO_DB)

# The benchmark: BENCH_ARGS="--n 10000" for a short run, "--postgres URI" for PostgreSQL.
bench: build
	./$(BUILD)/bench $(BENCH_ARGS)

# Every C test runs twice: on SQLite, and (name@postgres) on PostgreSQL.
test-c: build deps-postgres deps-twilio
	cd $(BUILD) && $(WITH_PG) ctest --output-on-failure -j $(JOBS)

test-asan: deps deps-postgres deps-twilio
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSB_WERROR=ON -DSB_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(WITH_PG) ctest --output-on-failure -j $(JOBS)

test-python: build deps-bindings deps-postgres deps-twilio
	cd bindings/python && SWITCHBOARD_LIBRARY=$(LIBPATH) $(WITH_PG) $(PYTHON) -m pytest tests -q
	SWITCHBOARD_LIBRARY=$(LIBPATH) PYTHONPATH=bindings/python $(PYTHON) examples/python/demo.py
	@# the package installs with pip (into a scratch folder, offline)
	tmp=$$(mktemp -d) && $(PYTHON) -m pip install -q --no-build-isolation --no-deps --no-index \
	  --break-system-packages --target $$tmp bindings/python && \
	  SWITCHBOARD_LIBRARY=$(LIBPATH) PYTHONPATH=$$tmp $(PYTHON) -c 'import switchboard' && \
	  rm -rf $$tmp bindings/python/build bindings/python/switchboard.egg-info

test-go: build deps-bindings deps-postgres deps-twilio
	cd bindings/go && $(GOENV) go vet ./... && $(GOENV) $(WITH_PG) go test -count=1 -v ./...
	cd examples/go && $(GOENV) go run .

test: test-c test-python test-go test-asan

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
