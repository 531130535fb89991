# agentlint — see README.md. `make` builds build/agentlint, `make test` runs
# every test, `make check` runs them again under ASan + UBSan.

VERSION   := 0.2.0
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
PKGS      := libfyaml yaml-0.1 libgit2 oniguruma zlib
OPT       ?= -O2 -g
WERROR    ?= 0
SAN       ?=
PYTHON    ?= /usr/bin/python3

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN      += -Werror
endif
ifneq ($(SAN),)
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
endif

# Leaks inside third-party libraries, each with its reason (tests/lsan.supp);
# leak detection itself stays on. The slow unwinder sees through Debian's
# libraries, which have no frame pointers, so entries can name a function.
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0:fast_unwind_on_malloc=0

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# SHA-256 for environment slugs comes from mbedcrypto, which libgit2-dev
# already depends on (Debian's libmbedtls-dev has no pkg-config file).
LIBS       := $(PKG_LIBS) -lmbedcrypto -lm

CPPFLAGS  += -I. -D_GNU_SOURCE -DAL_VERSION='"$(VERSION)"'
CFLAGS    := -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
LDFLAGS   += $(SANFLAGS)

LIB_DIRS  := common model access kube perm checks checks/rules views views/rbac cli
LIB_SRC   := $(filter-out cli/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
# Kubernetes' default roles per version (kube/defaults/X.Y.yaml), embedded.
KUBE_DEFAULTS := $(wildcard kube/defaults/*.yaml)
KUBE_GEN  := $(KUBE_DEFAULTS:kube/defaults/%.yaml=$(BUILD)/gen/kube_defaults_%.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_data.o \
             $(KUBE_GEN:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
BIN       := $(BUILD)/agentlint
LIB       := $(BUILD)/libagentlint.a

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
CMOCKA    := $(shell pkg-config --cflags --libs cmocka 2>/dev/null)

.PHONY: FORCE layers all deb deb-test image image-test release test check unit cli-tests corpus-tests clients install demo bench fuzz fuzz-smoke fuzz-long \
        clean format format-check

all: $(BIN)

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -o $@ $<

$(BUILD)/gen/schema_data.c: schemas/agentcfg.yaml $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed al_schema_agentcfg $< $@

$(BUILD)/obj/gen/schema_data.o: $(BUILD)/gen/schema_data.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/kube_defaults_%.c: kube/defaults/%.yaml $(BUILD)/tools/embed
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed al_kube_defaults_$(subst .,_,$*) $< $@

$(BUILD)/obj/gen/kube_defaults_%.o: $(BUILD)/gen/kube_defaults_%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# AL_VERSION comes from this file: a new release rebuilds what prints it.
$(addprefix $(BUILD)/obj/cli/,cmd_version.o cmd_check.o cmd_install_hook.o cmd_diff.o \
    cmd_explain.o cmd_report.o): Makefile

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# The commit --version names (tools/commit.sh); the file is rewritten only
# when it changes, so an unchanged tree does not relink.
$(BUILD)/gen/build_commit.c: FORCE
	@mkdir -p $(dir $@)
	@printf 'const char al_build_commit[] = "%s";\n' "$$(tools/commit.sh)" >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/obj/gen/build_commit.o: $(BUILD)/gen/build_commit.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BIN): $(BUILD)/obj/cli/main.o $(BUILD)/obj/gen/build_commit.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS) $(CMOCKA)

# ---- tests ----

# Test clients (pre-commit, sarif-multitool, gitlab-ci-local, ...) are set up
# first; a client that cannot be had fails the run.
clients:
	@tests/setup-clients.sh

# Clients first: test_html runs graphviz's dot.
unit: $(UNIT_BIN) clients
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli-tests: $(BIN) clients
	@AGENTLINT=$(abspath $(BIN)) $(PYTHON) -m unittest discover -s tests/cli -p 'test_*.py' -t tests/cli

test: $(BIN) unit cli-tests

# The layers (tools/layers) first: an upward include fails the check.
check: layers
	$(MAKE) BUILD=build/san SAN=1 OPT="-O1 -g" test
	$(MAKE) fuzz-smoke

# ---- install, demo, bench, fuzz ----

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
DATADIR     ?= $(PREFIX)/share/agentlint

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/agentlint
	install -m 644 man/agentlint.1 $(DESTDIR)$(PREFIX)/share/man/man1/agentlint.1
	install -m 644 completions/agentlint.bash $(DESTDIR)$(BASHCOMPDIR)/agentlint
	install -m 644 completions/_agentlint $(DESTDIR)$(ZSHCOMPDIR)/_agentlint
	install -m 644 ci/agentlint.gitlab-ci.yml ci/pre-commit-config.yaml $(DESTDIR)$(DATADIR)/

demo:
	@tools/demo.sh

# BENCH_ARGS: --no-fail, --rounds N (see bench/run.sh --help)
bench: $(BIN)
	@AGENTLINT=$(abspath $(BIN)) CC=$(CC) bench/run.sh $(BENCH_ARGS)

# libFuzzer targets (clang, ASan + UBSan) from the library's sources, and a
# bounded run of each from its seeds (fuzz/targets).
fuzz: $(BUILD)/gen/schema_data.c $(KUBE_GEN)
	@LIB_SRC="$(LIB_SRC)" GEN_SRC="$(KUBE_GEN)" fuzz/build.sh $(BUILD)

fuzz-smoke: fuzz
	@fuzz/smoke.sh

# An hour per target (FUZZ_SECONDS), then FUZZ_MERGE=1 to minimize what it
# found into fuzz/corpus/ (see fuzz/long.sh).
fuzz-long: fuzz
	@fuzz/long.sh

# ---- packages and releases (README, "Installing" and "Releasing") ----

# agentlint_$(VERSION)_amd64.deb from the tracked files (dpkg-buildpackage, debhelper).
deb:
	@tools/deb.sh build $(BUILD)

# Install the .deb into a fresh Debian 12 root and check it (mmdebstrap, root).
deb-test: deb
	@tools/deb.sh test $(BUILD)

# The container image (Containerfile) from Debian packages only (podman, root).
image:
	@tools/image.sh build $(BUILD)

image-test: image
	@tools/image.sh test $(BUILD)

# Checks, then the annotated tag v$(VERSION) (see README, "Releasing").
release:
	@tools/release.sh $(VERSION)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)

# An upward include between layers (tools/layers) fails.
layers:
	@tools/layers.sh
