# Mend's verbs. Each is one line; the work is in scripts/.
.PHONY: dev test bench setup build admin
dev: build ; scripts/dev.sh
test: build ; scripts/test.sh
bench: build ; scripts/bench.sh
build: setup ; scripts/build.sh
setup: ; scripts/setup.sh
admin: ; node scripts/admin.mjs $(ARGS)
