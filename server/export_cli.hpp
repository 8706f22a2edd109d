// server/export_cli.hpp: `forumcast export --forum ID --format json|csv|xlsx|md|html|vtt
// [-o FILE] [--include-contacts] [--include-hidden] [--lang zh-CN|en]` (the global
// --data/--config pick the store). Adds the subcommand to the CLI11 app and runs it
// on an opened store. Without -o the bytes go to stdout. Exit codes as the rest of
// the CLI: 0 ok, 1 error (message on stderr), 2 usage. Also the forum programme
// subcommands (forum edit, panel, agenda) below.
#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "server/config.hpp"
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

// `forumcast forum edit ID [--title T] [--topic T] [--starts-at S]`,
// `forumcast forum panel ID [--set JSON]` (JSON: [{"name","title","role"}]),
// `forumcast forum agenda ID [--add TITLE [--minutes N]] [--set JSON] [--order IDS]
// [--current ID|none]` (JSON: [{"id"?,"title","planned_minutes"}]; IDS "3,1,2"):
// the same operations as the HTTP routes (server/admin), audited as "cli". Without
// a change option panel and agenda print the list (--json for JSON).
struct ProgramCliOptions {
  std::string forum_id;
  std::optional<std::string> title, topic, starts_at;
  std::string set_json;
  std::string add_title;
  int64_t minutes = 0;
  std::string order;
  std::string current;
  bool json = false;
  CLI::App* edit = nullptr;
  CLI::App* panel = nullptr;
  CLI::App* agenda = nullptr;
};
void add_forum_program_commands(CLI::App& forum, ProgramCliOptions& opts);
// nullopt when none of the three was given.
std::optional<int> run_forum_program_commands(Store& store, const Clock& clock, const Config& cfg,
                                              const ProgramCliOptions& opts);

}  // namespace forumcast
