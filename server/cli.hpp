// server/cli.hpp: the `forumcast` command line (CLI11): serve, forum, user,
// config-keys. Exit codes: 0 ok, 1 error (message on stderr), 2 usage.
#pragma once

namespace forumcast {

int run_cli(int argc, char** argv);

}  // namespace forumcast
