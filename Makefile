# The two commands of the quick start:
#   make run   install what is missing, build Release, start `forumcast serve --demo`
#   make test  install what is missing, build Debug with ASan+UBSan, run every test
# Both reuse what is already installed and built.
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
DEBUG_DIR := build/debug
ARGS ?=

.PHONY: run test setup release debug web unit lint format clean

run: setup release
	./$(RELEASE_DIR)/server/forumcast serve --demo --data ./data $(ARGS)

test: setup debug
	cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

unit: debug
	cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) -L unit

setup:
	@scripts/setup.sh

web:
	cd web-client && npm run build --silent

release: web
	@test -f $(RELEASE_DIR)/build.ninja || cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DFORUMCAST_TESTS=OFF
	cmake --build $(RELEASE_DIR) -j $(JOBS) --target forumcast

debug: web
	@test -f $(DEBUG_DIR)/build.ninja || cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DFORUMCAST_SANITIZE=ON
	cmake --build $(DEBUG_DIR) -j $(JOBS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

lint: debug
	git ls-files '*.cpp' | grep -v '^tests/' | xargs clang-tidy -p $(DEBUG_DIR) --quiet

clean:
	rm -rf build
