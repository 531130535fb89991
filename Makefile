# agentlint — see README.md. `make` builds build/agentlint, `make test` runs
# every test, `make check` runs them again under ASan + UBSan.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BUILD     ?= build
CC        ?= cc
PKGS      := libfyaml yaml-0.1 libgit2 oniguruma
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

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# SHA-256 for environment slugs comes from mbedcrypto, which libgit2-dev
# already depends on (Debian's libmbedtls-dev has no pkg-config file).
LIBS       := $(PKG_LIBS) -lmbedcrypto -lm

CPPFLAGS  += -I. -D_GNU_SOURCE -DAL_VERSION='"$(VERSION)"'
CFLAGS    := -std=c11 $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
LDFLAGS   += $(SANFLAGS)

LIB_DIRS  := common validator validator/rules access rbacgen cli
LIB_SRC   := $(filter-out cli/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_data.o
BIN       := $(BUILD)/agentlint
LIB       := $(BUILD)/libagentlint.a

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
CMOCKA    := $(shell pkg-config --cflags --libs cmocka 2>/dev/null)

.PHONY: all test check unit cli-tests corpus-tests clients install demo bench fuzz fuzz-smoke \
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

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/cli/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LIBS) $(CMOCKA)

# ---- tests ----

# Test clients (pre-commit, sarif-multitool, gitlab-ci-local, ...) are set up
# first; a client that cannot be had fails the run.
clients:
	@tests/setup-clients.sh

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

cli-tests: $(BIN) clients
	@AGENTLINT=$(abspath $(BIN)) $(PYTHON) -m unittest discover -s tests/cli -p 'test_*.py' -t tests/cli

test: $(BIN) unit cli-tests

check:
	$(MAKE) BUILD=build/san SAN=1 OPT="-O1 -g" test
	$(MAKE) fuzz-smoke

# ---- install, demo, bench, fuzz ----

BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/agentlint
	install -m 644 man/agentlint.1 $(DESTDIR)$(PREFIX)/share/man/man1/agentlint.1
	install -m 644 completions/agentlint.bash $(DESTDIR)$(BASHCOMPDIR)/agentlint
	install -m 644 completions/_agentlint $(DESTDIR)$(ZSHCOMPDIR)/_agentlint

demo:
	@tools/demo.sh

# BENCH_ARGS: --no-fail, --rounds N (see bench/run.sh --help)
bench: $(BIN)
	@AGENTLINT=$(abspath $(BIN)) CC=$(CC) bench/run.sh $(BENCH_ARGS)

# libFuzzer targets (clang, ASan + UBSan) from the library's sources, and a
# bounded run of each from its seeds (fuzz/targets).
fuzz: $(BUILD)/gen/schema_data.c
	@LIB_SRC="$(LIB_SRC)" fuzz/build.sh $(BUILD)

fuzz-smoke: fuzz
	@PYTHON=$(PYTHON) fuzz/smoke.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)
