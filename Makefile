# One Byte a Block.
#
# The seed's commands keep working as they were written:
#   make | make build     tangle the chapters (when they changed), build ./libmalloc.so and ./test1
#   make rebuild          clean, then build
#   make clean            remove everything built (never a source, never code/)
#   make test             the whole test suite
# and the book adds:
#   make chapters         build every chapter's snapshot in out/chapters/NN-slug/
#   make book | serve     the website: a static build in build/, or a live dev server
#   make bench [QUICK=1]  benchmarks against glibc, jemalloc, tcmalloc and mimalloc
#
# Without Node the library still builds, from the committed code/, with gcc and make alone.

CC = gcc
CFLAGS = -std=c11 -O2 -g -fPIC -shared -pthread -Wall -Wextra -Werror
SCENARIO_CFLAGS = -std=gnu11 -O2 -g -pthread -Wall -Wextra -Werror
NODE := $(shell command -v node 2>/dev/null)
SUBMAKE = $(MAKE) --no-print-directory

.PHONY: all build rebuild clean test tangle artifacts chapters book serve bench

all: build

# Two steps, so that the second make sees the files the tangle has just written.
build:
	@$(SUBMAKE) tangle
	@$(SUBMAKE) artifacts
	@$(SUBMAKE) widget

artifacts: libmalloc.so test1
	@:

ifdef NODE
tangle: out/tangle.stamp
	@:

out/tangle.stamp: node_modules/.package-lock.json $(wildcard docs/*.md docs/*.mdx tangle/*.ts)
	npx tsx tangle/cli.ts write
	@mkdir -p out && touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
else
tangle:
	@echo "node not found: building from the committed code/ without re-tangling the chapters"
endif

libmalloc.so: $(wildcard code/src/*.c code/src/*.h)
	$(CC) $(CFLAGS) -o $@ $(wildcard code/src/*.c)

test1: tests/scenarios/test1.c
	$(CC) $(SCENARIO_CFLAGS) -o $@ $<

rebuild: clean
	@$(SUBMAKE) build

clean:
	rm -rf libmalloc.so test1 out build .docusaurus

test: build
	npx vitest run

# Every snapshot compiles from the repository root, so #line paths reach the chapters.
chapters: tangle
	@for dir in out/chapters/*/; do \
	  if ls $$dir/src/*.c >/dev/null 2>&1; then \
	    echo "$(CC) $(CFLAGS) -o $${dir}libmalloc.so $${dir}src/*.c"; \
	    $(CC) $(CFLAGS) -o $${dir}libmalloc.so $${dir}src/*.c || exit 1; \
	  fi; \
	done

book: tangle
	npx docusaurus build

serve: tangle
	npx docusaurus start

bench: build chapters
	npx tsx bench/run.ts $(if $(QUICK),--quick)

# make fuzz [SECONDS=60] [SEED=n]: the fuzzer (tests/fuzz/) on ./libmalloc.so, then its
# misuse mode, SECONDS each; a failure prints the seed to run again with SEED=.
.PHONY: fuzz
SECONDS ?= 60
fuzz: build out/fuzz/fuzz
	LD_PRELOAD=./libmalloc.so out/fuzz/fuzz -s $(SECONDS) $(if $(SEED),-S $(SEED))
	LD_PRELOAD=./libmalloc.so out/fuzz/fuzz -s $(SECONDS) $(if $(SEED),-S $(SEED)) -m double,interior,metadata

out/fuzz/fuzz: $(wildcard tests/fuzz/*.c tests/fuzz/*.h)
	@mkdir -p out/fuzz
	$(CC) $(SCENARIO_CFLAGS) -o $@ $(wildcard tests/fuzz/*.c)

# The tree widget of chapters 03 and 04: chapter 04's own tree.c compiled to WebAssembly
# (plugins/tree-widget/build.ts; the site build runs it too). Without clang-14 it says so
# and the site is built without the widget; the stamp waits until a .wasm exists.
.PHONY: widget
ifdef NODE
widget: out/tree-widget.stamp
	@:

out/tree-widget.stamp: out/tangle.stamp $(wildcard wasm/*.c wasm/include/*.h) plugins/tree-widget/build.ts
	npx tsx plugins/tree-widget/build.ts
	@if ls out/site-static/tree-widget/*.wasm >/dev/null 2>&1; then touch $@; fi
else
widget:
	@:
endif
