# dts_exporter build and test entry points. `make test` is what CI runs: it
# builds the pinned Prometheus tools it needs by itself.

GO        ?= go
BIN       := $(CURDIR)/bin
PROMTOOL  := $(BIN)/promtool
PKG       := github.com/prometheus/common/version
VERSION   ?= $(shell cat VERSION 2>/dev/null || echo 0.0.0)
REVISION  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
BRANCH    ?= $(shell git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -s -w -X $(PKG).Version=$(VERSION) -X $(PKG).Revision=$(REVISION) -X $(PKG).Branch=$(BRANCH) \
             -X $(PKG).BuildUser=dts_exporter -X $(PKG).BuildDate=$(shell date -u +%Y%m%d-%H:%M:%S)

.PHONY: all build test unit fmt-check vet tools clean

all: test build

## build: static binaries of the exporter and the simulator in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/dts_exporter ./cmd/dts_exporter
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/dts_simulator ./cmd/dts_simulator

## test: format and vet checks, then every test, with promtool linting a full scrape
test: fmt-check vet $(PROMTOOL)
	PROMTOOL=$(PROMTOOL) $(GO) test -race -count=1 ./...

## unit: the tests alone, without building the Prometheus tools
unit:
	$(GO) test -count=1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## tools: the pinned Prometheus tools (tools/go.mod) in bin/
tools: $(PROMTOOL)

$(PROMTOOL): tools/go.mod tools/go.sum
	cd tools && $(GO) build -o $(PROMTOOL) github.com/prometheus/prometheus/cmd/promtool

clean:
	rm -rf $(BIN)
