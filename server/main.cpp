// server/main.cpp: the forumcast executable; everything is in server/cli.cpp.
#include "server/cli.hpp"

int main(int argc, char** argv) {
  return forumcast::run_cli(argc, argv);
}
