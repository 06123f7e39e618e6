# Thin wrapper over CMake. `make demo` and `make test` are the two set-up commands.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
# How long `make fuzz` runs each target, in seconds.
FUZZ_SECONDS ?= 60
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB    ?= switchboard-demo.db
INBOX_DB   ?= switchboard-inbox.db

.PHONY: fuzz test-tsan bench all deps deps-bindings deps-postgres deps-twilio deps-inbox build demo inbox inbox-build test test-c test-asan test-python test-go test-inbox clean

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

# The web inbox's browser tests drive Debian's Chromium through chromedriver.
# Where they cannot be installed the tests are skipped, saying so.
deps-inbox:
	@sh .ci/install-deps chromium chromium-driver python3-selenium || \
	  echo "deps-inbox: Chromium could not be installed; the inbox's browser tests will be skipped"

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	./$(BUILD)/demo $(DEMO_DB)

# The front-desk web inbox (examples/inbox), on an embedded SQLite file with a
# seeded demo practice; it prints its address and the demo sign-in.
inbox-build: build deps-bindings
	cd examples/inbox && test -z "$$(gofmt -l .)" && $(GOENV) go vet . && \
	  $(GOENV) go build -ldflags=-r=$(CURDIR)/$(BUILD) -o $(CURDIR)/$(BUILD)/inbox .

inbox: inbox-build
	./$(BUILD)/inbox -db $(INBOX_DB)

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

# The threads test under ThreadSanitizer: handles on several threads at once
# on one SQLite file and on PostgreSQL; any data race fails it.
test-tsan: deps deps-postgres
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSB_WERROR=ON -DSB_TSAN=ON -DSB_TWILIO=OFF
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target test_threads
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 $(WITH_PG) \
	  ctest --output-on-failure -R '^test_threads'

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

test-inbox: inbox-build deps-inbox
	SB_INBOX_BIN=$(CURDIR)/$(BUILD)/inbox SB_ARTIFACTS=$(CURDIR)/$(BUILD)/artifacts \
	  $(PYTHON) -m pytest examples/inbox/test -q -rs

test: test-c test-python test-go test-inbox test-asan test-tsan

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)

# Every fuzz target under libFuzzer with ASan and UBSan, FUZZ_SECONDS each
# (`make fuzz FUZZ_SECONDS=600`); `make test` replays their corpora.
fuzz: deps
	@command -v clang >/dev/null || sh .ci/install-deps clang
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_FUZZ=ON -DSB_WERROR=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)
