// server/term_cli.hpp: `forumcast terms list|add|remove [--forum ID]` on the store
// of --data/--config (the global list without --forum). `add TERM... --action
// hold|mask|reject|timeout [--timeout-ms N] [--file FILE]` adds terms or changes
// their action (FILE: one term per line, '#' comments); `remove TERM...` removes
// them. Each change is validated like the running filter, audited (actor "cli",
// action terms.update) and touches <data>/blocked-terms.changed so that a server
// running on the same data directory rebuilds its filters within a second.
// Exit codes as the rest of the CLI: 0 ok, 1 error (message on stderr), 2 usage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "server/config.hpp"
#include "store/store.hpp"

namespace CLI {
class App;
}

namespace forumcast {

struct TermsCliOptions {
  std::string forum_id;  // "" = the global list
  std::vector<std::string> terms;
  std::string action = "hold";
  int64_t timeout_ms = 10 * 60'000;
  std::string file;
  bool json_out = false;
};

// Adds `terms` with its three subcommands; returns the parent.
CLI::App* add_terms_command(CLI::App& app, TermsCliOptions& opts);
int run_terms_command(CLI::App& terms_cmd, Store& store, const Clock& clock, const Config& cfg,
                      const TermsCliOptions& opts);

}  // namespace forumcast
