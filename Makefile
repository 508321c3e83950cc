# hatif-import — two commands set everything up: `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/hatif-import

.PHONY: all deps build test demo sandbox bench clean

all: build

deps:
	@scripts/install-system-packages.sh

build: deps
	$(SWIFT) build

## Build everything and run every test.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Import every file of samples/ into the embedded sandbox; one report per import in demo-report/.
demo: deps
	$(SWIFT) build --product hatif-import
	$(BIN) demo --samples samples --report demo-report

## Serve the sandbox on port 8080 for rehearsals.
sandbox: deps
	$(SWIFT) build --product hatif-import
	$(BIN) sandbox --port 8080

## Parse throughput against Python's csv.reader, lxml and vobject (release build, about 10 minutes).
bench: deps
	Benchmarks/compare-parsers.sh

clean:
	rm -rf .build
