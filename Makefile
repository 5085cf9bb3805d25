# dts_exporter build and test entry points. `make test` is what CI runs: it
# builds the pinned Prometheus tools it needs by itself.

GO        ?= go
BIN       := $(CURDIR)/bin
PROMTOOL  := $(BIN)/promtool
PROMETHEUS := $(BIN)/prometheus
ALERTMANAGER := $(BIN)/alertmanager
PKG       := github.com/prometheus/common/version
VERSION   ?= $(shell cat VERSION 2>/dev/null || echo 0.0.0)
REVISION  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
BRANCH    ?= $(shell git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -s -w -X $(PKG).Version=$(VERSION) -X $(PKG).Revision=$(REVISION) -X $(PKG).Branch=$(BRANCH) \
             -X $(PKG).BuildUser=dts_exporter -X $(PKG).BuildDate=$(shell date -u +%Y%m%d-%H:%M:%S)

.PHONY: all build test unit fmt-check vet rules tools clean

all: test build

## build: static binaries of the exporter and the simulator in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/dts_exporter ./cmd/dts_exporter
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/dts_simulator ./cmd/dts_simulator

## test: format and vet checks, the alert rules' unit tests, then every Go test: promtool lints
## a full scrape, and the dashboards and alerts run against a real Prometheus and Alertmanager
test: fmt-check vet rules $(PROMETHEUS) $(ALERTMANAGER)
	PROMTOOL=$(PROMTOOL) PROMETHEUS=$(PROMETHEUS) ALERTMANAGER=$(ALERTMANAGER) $(GO) test -race -count=1 ./...

## rules: check the alert rules and run their unit tests
rules: $(PROMTOOL)
	$(PROMTOOL) check rules dashboards/alerts.yaml
	cd dashboards && $(PROMTOOL) test rules alerts_test.yaml

## unit: the tests alone, without building the Prometheus tools
unit:
	$(GO) test -count=1 ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## tools: the pinned Prometheus tools (tools/go.mod, tools/alertmanager/go.mod) in bin/
tools: $(PROMTOOL) $(PROMETHEUS) $(ALERTMANAGER)

$(PROMTOOL): tools/go.mod tools/go.sum
	cd tools && $(GO) build -o $(PROMTOOL) github.com/prometheus/prometheus/cmd/promtool

$(PROMETHEUS): tools/go.mod tools/go.sum
	cd tools && $(GO) build -o $(PROMETHEUS) github.com/prometheus/prometheus/cmd/prometheus

$(ALERTMANAGER): tools/alertmanager/go.mod tools/alertmanager/go.sum
	cd tools/alertmanager && $(GO) build -o $(ALERTMANAGER) github.com/prometheus/alertmanager/cmd/alertmanager

clean:
	rm -rf $(BIN)
