# hatif-import — two commands set everything up: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/hatif-import
## The executable's debug builds skip the index store (what an editor's indexer reads): 15% of a clean
## build here (302 s instead of 356 s for hatif-import on 2 cores). The tests' build keeps it: on Linux,
## SwiftPM finds the tests through it.
BUILD_FLAGS := --disable-index-store

.PHONY: all deps build test chaos load fuzz demo sandbox bench dist clean

all: build

deps:
	@scripts/install-system-packages.sh

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

## Build everything and run every test against both run-state backends (SQLite, and a throwaway
## PostgreSQL cluster started for the purpose and stopped at the end), then the short chaos test
## (5,000 contacts, 10 SIGKILLs) once with each backend. The package tests check a Debian package built
## around the debug binary (uncompressed: the same script as `make dist`, without its release build).
## A hung test fails the run after TEST_TIME_LIMIT seconds with the names of the tests still running
## (scripts/run-tests.sh), rather than holding CI until its own limit.
TEST_TIME_LIMIT ?= 2400
test: deps
	$(SWIFT) build --build-tests
	@deb=$$(COMPRESSION=none scripts/build-deb.sh $(BIN) .build/deb-test) || exit 1; \
	pg=$$(mktemp -d /tmp/hatif-pg.XXXXXX); url=$$(scripts/test-postgres.sh start $$pg) || exit 1; \
	trap 'scripts/test-postgres.sh stop '$$pg EXIT; \
	echo "PostgreSQL for the tests: $$url"; \
	HATIF_TEST_DEB=$$deb HATIF_TEST_POSTGRES=$$url HATIF_TEST_REQUIRE_POSTGRES=1 SWIFT=$(SWIFT) \
	TEST_TIME_LIMIT=$(TEST_TIME_LIMIT) scripts/run-tests.sh && \
	echo "== chaos test, SQLite run state" && scripts/chaos-test.sh 5000 10 1 && \
	echo "== chaos test, PostgreSQL run state" && psql -q "$$url" -c "CREATE DATABASE chaos" && \
	STATE=$${url%/*}/chaos scripts/chaos-test.sh 5000 10 1

## The long chaos test: 100,000 contacts, 50 SIGKILLs spread over the run (release build, 10–20 minutes
## each), with the SQLite run state, then with a throwaway PostgreSQL cluster.
chaos: deps
	$(SWIFT) build -c release --product hatif-import
	HATIF=.build/release/hatif-import KILL_MIN=2 KILL_MAX=16 scripts/chaos-test.sh 100000 50 1
	@pg=$$(mktemp -d /tmp/hatif-pg.XXXXXX); url=$$(scripts/test-postgres.sh start $$pg) || exit 1; \
	trap 'scripts/test-postgres.sh stop '$$pg EXIT; \
	HATIF=.build/release/hatif-import KILL_MIN=2 KILL_MAX=16 STATE=$$url scripts/chaos-test.sh 100000 50 1

## Import every file of samples/ into the embedded sandbox; one report per import in demo-report/.
demo: deps
	$(SWIFT) build $(BUILD_FLAGS) --product hatif-import
	$(BIN) demo --samples samples --report demo-report

## Serve the sandbox on port 8080 for rehearsals.
sandbox: deps
	$(SWIFT) build $(BUILD_FLAGS) --product hatif-import
	$(BIN) sandbox --port 8080

## 64 requests in flight against the sandbox for 60 seconds (release build).
load: deps
	rm -f Benchmarks/.build/release.yaml Benchmarks/.build/release/description.json  # see Benchmarks/compare-parsers.sh
	swift build -c release --package-path Benchmarks --product LoadTest
	Benchmarks/.build/release/LoadTest 64 60

## Fuzz the readers and the transforms, 10 minutes each (AddressSanitizer build in Fuzz/.build-fuzz).
fuzz: deps
	Fuzz/run.sh 600

## Parse throughput against Python's csv.reader, lxml and vobject (release build, about 10 minutes).
bench: deps
	Benchmarks/compare-parsers.sh

## The release binary with the Swift runtime linked in and its Debian package, in dist/:
## hatif-import_VERSION_ARCH.deb. `-Xswiftc -static-stdlib` is what `--static-swift-stdlib` passes, given
## the same way to the build and to the generate-manual plugin's build (which `swift package` runs with
## its own options, and `--static-swift-stdlib` is not one): so the plugin finds the binary up to date
## instead of building it again.
DIST_FLAGS := -c release -Xswiftc -static-stdlib --scratch-path .build-dist
dist: deps
	$(SWIFT) build $(DIST_FLAGS) --product hatif-import
	STRICT=1 STRIP=1 SWIFTPM_FLAGS="$(DIST_FLAGS)" scripts/build-deb.sh .build-dist/release/hatif-import dist

clean:
	rm -rf .build .build-dist dist
