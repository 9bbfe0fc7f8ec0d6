# One Byte a Block.
#
# The seed's commands keep working as they were written:
#   make | make build     tangle the chapters (when they changed), build ./libmalloc.so and ./test1
#   make rebuild          clean, then build
#   make clean            remove everything built (never a source, never code/)
#   make test             the whole test suite
# and the book adds:
#   make chapters         build every chapter's snapshot (tangle/cli.ts build)
#   make chapter CH=04    build and test one chapter's snapshot (04, buddies or 03-buddies)
#   make book | serve     the website: a static build in build/, or a live dev server
#   make bench [QUICK=1]  benchmarks against glibc, jemalloc, tcmalloc and mimalloc
#
# Without Node the library still builds, from the committed code/, with gcc and make alone.

# CC, LIBRARY_CFLAGS and PROGRAM_CFLAGS: one file, which tangle/snapshot.ts reads too.
include flags.mk
NODE := $(shell command -v node 2>/dev/null)
SUBMAKE = $(MAKE) --no-print-directory

.PHONY: all build rebuild clean test tangle artifacts chapters chapter book serve bench

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

libmalloc.so: $(wildcard code/src/*.c code/src/*.h) flags.mk
	$(CC) $(LIBRARY_CFLAGS) -o $@ $(wildcard code/src/*.c)

test1: tests/scenarios/test1.c flags.mk
	$(CC) $(PROGRAM_CFLAGS) -o $@ $<

rebuild: clean
	@$(SUBMAKE) build

clean:
	rm -rf libmalloc.so test1 out build .docusaurus

test: build
	npx vitest run

# Every snapshot compiles from the repository root, so #line paths reach the chapters;
# a failure names the snapshot that failed.
chapters: tangle
	npx tsx tangle/cli.ts build

# One chapter: its snapshot built, then the chapter tests on it alone (every scenario and
# program it promises, and those of earlier chapters).
chapter: tangle
ifndef CH
	$(error make chapter needs CH=, a chapter: 04, one-byte-a-block or 04-one-byte-a-block)
endif
	npx tsx tangle/cli.ts build $(CH)
	OBB_CHAPTER=$(CH) npx vitest run tests/chapters.test.ts

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
	$(CC) $(PROGRAM_CFLAGS) -o $@ $(wildcard tests/fuzz/*.c)

# The tree widget of chapters 03 and 04: chapter 04's own tree.c compiled to WebAssembly
# (site/tree-widget/build.ts; the site build runs it too). Without clang-14 it says so
# and the site is built without the widget; the stamp waits until a .wasm exists.
.PHONY: widget
ifdef NODE
widget: out/tree-widget.stamp
	@:

out/tree-widget.stamp: out/tangle.stamp $(wildcard wasm/*.c wasm/include/*.h) site/tree-widget/build.ts
	npx tsx site/tree-widget/build.ts
	@if ls out/site-static/tree-widget/*.wasm >/dev/null 2>&1; then touch $@; fi
else
widget:
	@:
endif
