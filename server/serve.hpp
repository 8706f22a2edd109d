// server/serve.hpp: `forumcast serve`: wires the concrete parts together (SQLite
// store, auth, HTTP API, /ws handler, the net loop) and runs until SIGINT/SIGTERM.
// The one place that picks implementations.
#pragma once

#include <string>

#include "server/config.hpp"

namespace forumcast {

struct ServeOptions {
  bool demo = false;
  std::string ready_file;  // written once listening: {"http_port":N,"url":"..."}
};

// Exit code: 0 after a clean stop, 1 if it could not start.
int run_serve(const Config& config, const ServeOptions& options);

}  // namespace forumcast
