// server/export_cli.hpp: `forumcast export --forum ID --format json|csv|xlsx|md|html|vtt
// [-o FILE] [--include-contacts] [--include-hidden] [--lang zh-CN|en]` (the global
// --data/--config pick the store). Adds the subcommand to the CLI11 app and runs it
// on an opened store. Without -o the bytes go to stdout. Exit codes as the rest of
// the CLI: 0 ok, 1 error (message on stderr), 2 usage.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace CLI {
class App;
}

namespace forumcast {

struct ExportCliOptions {
  std::string forum_id;
  std::string format = "json";
  std::string output;  // "" or "-" = stdout
  std::string lang = "zh-CN";
  bool include_contacts = false;
  bool include_hidden = false;
  std::string actor = "cli";  // audit actor for --include-contacts ("cli:<$USER>")
};

CLI::App* add_export_command(CLI::App& app, ExportCliOptions& opts);
int run_export_command(Store& store, const Clock& clock, const ExportCliOptions& opts);

}  // namespace forumcast
