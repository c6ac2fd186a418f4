# A thin wrapper: setup.sh does the work (dependencies, meson, tests).
.POSIX:
.PHONY: all run test clean

all: run

run:
	./setup.sh run

test:
	./setup.sh test

clean:
	rm -rf build build-san build-fuzz
