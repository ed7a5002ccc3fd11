# git-ccsync — build, install, test, benchmark.
#   make install        install libgit2-dev if missing, build release, install into $(PREFIX)/bin
#   make test           build and run every test (unit, property, integration with real git)
#   make bench          benchmarks, printed as ratios against baselines measured in the same run

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
SWIFT ?= swift
SWIFT_FLAGS ?=
RELEASE_BIN = .build/release/git-ccsync

.PHONY: all build release install uninstall test test-unit test-integration bench deps clean

all: build

deps:
	@./scripts/ensure-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

install: release
	install -d "$(DESTDIR)$(BINDIR)"
	install -m 0755 "$(RELEASE_BIN)" "$(DESTDIR)$(BINDIR)/git-ccsync"
	@echo "installed $(DESTDIR)$(BINDIR)/git-ccsync; try: git ccsync --help"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/git-ccsync"

# The integration tests drive the built binary; its path is passed in so they never test a stale copy.
test: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	GIT_CCSYNC_BIN="$$($(SWIFT) build --show-bin-path $(SWIFT_FLAGS))/git-ccsync" \
	  $(SWIFT) test --skip-build $(SWIFT_FLAGS)

bench: release
	GIT_CCSYNC_BIN="$(CURDIR)/$(RELEASE_BIN)" ./Benchmarks/run.sh

clean:
	rm -rf .build
