// server/export_cli.cpp: the `forumcast export` subcommand (see export_cli.hpp).
// Parsing only adds options; the work is export_forum (transcript_builder), which
// also writes the audit entry for --include-contacts. The file is written to a
// temporary name next to the target and renamed, so a failed export never leaves
// a half-written file behind.
#include "server/export_cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <sstream>

#include "server/admin.hpp"
#include "server/forum_program_routes.hpp"
#include "server/transcript_builder.hpp"

namespace forumcast {
namespace {

int fail(const std::string& msg) {
  std::fprintf(stderr, "forumcast export: %s\n", msg.c_str());
  return 1;
}

}  // namespace

CLI::App* add_export_command(CLI::App& app, ExportCliOptions& o) {
  auto* cmd =
      app.add_subcommand("export", "Export a forum's transcript (会议纪要, lists, chapters)");
  cmd->fallthrough();
  cmd->add_option("--forum", o.forum_id, "Forum id")->required();
  cmd->add_option("--format", o.format, "json|csv|xlsx|md|html|vtt")
      ->check(CLI::IsMember({"json", "csv", "xlsx", "md", "html", "vtt"}));
  cmd->add_option("-o,--output", o.output, "Output file (default: stdout)");
  cmd->add_flag("--include-contacts", o.include_contacts,
                "Include phone numbers and device tokens (audited)");
  cmd->add_flag("--include-hidden", o.include_hidden, "Include comments a moderator hid");
  cmd->add_option("--lang", o.lang, "Headings: zh-CN or en")->check(CLI::IsMember({"zh-CN", "en"}));
  return cmd;
}

int run_export_command(Store& store, const Clock& clock, const ExportCliOptions& o) {
  auto format = followup::format_from_string(o.format);
  if (!format) return fail("unknown format " + o.format);
  auto lang = followup::lang_from_string(o.lang);
  if (!lang) return fail("unknown language " + o.lang);
  followup::ExportOptions eo;
  eo.include_contacts = o.include_contacts;
  eo.include_hidden_comments = o.include_hidden;
  eo.lang = *lang;
  std::string actor = o.actor;
  if (actor == "cli") {
    const char* user = std::getenv("USER");
    if (user && *user) actor = std::string("cli:") + user;
  }
  auto file = export_forum(store, o.forum_id, *format, eo, actor, clock.wall_ms());
  if (!file.ok()) return fail(file.error().message);
  if (o.output.empty() || o.output == "-") {
    std::fwrite(file->bytes.data(), 1, file->bytes.size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : fail("cannot write to stdout");
  }
  const std::string tmp = o.output + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return fail("cannot write " + tmp);
    out.write(file->bytes.data(), static_cast<std::streamsize>(file->bytes.size()));
    out.close();
    if (!out) {
      std::filesystem::remove(tmp);
      return fail("cannot write " + tmp);
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, o.output, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return fail("cannot write " + o.output + ": " + ec.message());
  }
  std::fprintf(stderr, "forumcast export: wrote %zu bytes to %s\n", file->bytes.size(),
               o.output.c_str());
  return 0;
}

void add_forum_program_commands(CLI::App& forum, ProgramCliOptions& o) {
  o.edit = forum.add_subcommand("edit", "Change a forum's title, topic or start time");
  o.edit->fallthrough();
  o.edit->add_option("id", o.forum_id, "Forum id")->required();
  o.edit->add_option("--title", o.title, "New title");
  o.edit->add_option("--topic", o.topic, "New topic");
  o.edit->add_option("--starts-at", o.starts_at, "RFC 3339 start, or \"\" for none");
  o.panel = forum.add_subcommand("panel", "Show or replace a forum's panel roster");
  o.panel->fallthrough();
  o.panel->add_option("id", o.forum_id, "Forum id")->required();
  o.panel->add_option("--set", o.set_json,
                      "Replace: JSON list of {\"name\",\"title\",\"role\"} (role secretary, "
                      "expert, deputy or resident_representative)");
  o.panel->add_flag("--json", o.json, "Print JSON");
  o.agenda = forum.add_subcommand("agenda", "Show or change a forum's agenda");
  o.agenda->fallthrough();
  o.agenda->add_option("id", o.forum_id, "Forum id")->required();
  o.agenda->add_option("--add", o.add_title, "Append an item with this title");
  o.agenda->add_option("--minutes", o.minutes, "Planned minutes of the added item");
  o.agenda->add_option("--set", o.set_json,
                       "Replace: JSON list of {\"id\"?,\"title\",\"planned_minutes\"}");
  o.agenda->add_option("--order", o.order, "New order: every item id, comma-separated");
  o.agenda->add_option("--current", o.current, "Item under discussion: an item id, or none");
  o.agenda->add_flag("--json", o.json, "Print JSON");
}

namespace {

int program_fail(const std::string& msg) {
  std::fprintf(stderr, "forumcast forum: %s\n", msg.c_str());
  return 1;
}

void print_agenda(Store& store, const std::string& id, bool as_json) {
  auto a = store.programs().get_agenda(id);
  auto cur = store.programs().get_current_item(id);
  if (!a || !cur) return;
  if (as_json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : *a)
      arr.push_back({{"id", r.id},
                     {"title", r.title},
                     {"planned_minutes", r.planned_minutes},
                     {"current", *cur && **cur == r.id}});
    std::printf("%s\n", arr.dump(2).c_str());
    return;
  }
  for (const auto& r : *a)
    std::printf("%s %4lld  %3lld min  %s\n", *cur && **cur == r.id ? "*" : " ",
                static_cast<long long>(r.id), static_cast<long long>(r.planned_minutes),
                r.title.c_str());
}

}  // namespace

std::optional<int> run_forum_program_commands(Store& store, const Clock& clock, const Config& cfg,
                                              const ProgramCliOptions& o) {
  const ProgramLimits limits = followup_runtime_from(cfg).program;
  using nlohmann::json;
  if (o.edit && o.edit->parsed()) {
    auto f = edit_forum(store, clock, o.forum_id, ForumEdit{o.title, o.topic, o.starts_at}, "cli");
    if (!f) return program_fail(f.error().message);
    std::printf("forum %s: %s\n", f->id.c_str(), f->title.c_str());
    return 0;
  }
  if (o.panel && o.panel->parsed()) {
    if (!o.set_json.empty()) {
      json j = json::parse(o.set_json, nullptr, false);
      if (!j.is_array()) return program_fail("--set needs a JSON list");
      std::vector<PanelRow> rows;
      for (const auto& m : j) {
        if (!m.is_object()) return program_fail("each panel member is a JSON object");
        rows.push_back({m.value("name", ""), m.value("title", ""), m.value("role", "")});
      }
      auto saved = replace_panel(store, clock, o.forum_id, rows, limits, "cli");
      if (!saved) return program_fail(saved.error().message);
    }
    auto p = store.programs().get_panel(o.forum_id);
    if (!p) return program_fail(p.error().message);
    if (o.json) {
      json arr = json::array();
      for (const auto& r : *p)
        arr.push_back({{"name", r.name}, {"title", r.title}, {"role", r.role}});
      std::printf("%s\n", arr.dump(2).c_str());
    } else {
      for (const auto& r : *p)
        std::printf("%-24s  %-24s  %s\n", r.name.c_str(), r.title.c_str(), r.role.c_str());
    }
    return 0;
  }
  if (o.agenda && o.agenda->parsed()) {
    if (!o.set_json.empty() || !o.add_title.empty() || !o.order.empty()) {
      std::vector<AgendaRow> rows;
      if (!o.set_json.empty()) {
        json j = json::parse(o.set_json, nullptr, false);
        if (!j.is_array()) return program_fail("--set needs a JSON list");
        for (const auto& m : j) {
          if (!m.is_object()) return program_fail("each agenda item is a JSON object");
          rows.push_back({m.value("id", int64_t{0}), m.value("title", ""),
                          m.value("planned_minutes", int64_t{0})});
        }
      } else {
        auto cur = store.programs().get_agenda(o.forum_id);
        if (!cur) return program_fail(cur.error().message);
        rows = *cur;
      }
      if (!o.order.empty()) {
        std::vector<AgendaRow> ordered;
        std::stringstream ss(o.order);
        for (std::string tok; std::getline(ss, tok, ',');) {
          int64_t want = std::atoll(tok.c_str());
          bool found = false;
          for (const auto& r : rows)
            if (r.id == want) {
              ordered.push_back(r);
              found = true;
            }
          if (!found) return program_fail("no agenda item " + tok);
        }
        if (ordered.size() != rows.size())
          return program_fail("--order must list every item id exactly once");
        rows = ordered;
      }
      if (!o.add_title.empty()) rows.push_back({0, o.add_title, o.minutes});
      auto saved = replace_agenda(store, clock, o.forum_id, rows, limits, "cli");
      if (!saved) return program_fail(saved.error().message);
    }
    if (!o.current.empty()) {
      std::optional<int64_t> item;
      if (o.current != "none") item = std::atoll(o.current.c_str());
      // A running server pushes agenda_current from its own routes only; the CLI
      // change is seen by pages on their next GET .../program.
      if (Status st = set_current_agenda_item(store, clock, o.forum_id, item, "cli"); !st)
        return program_fail(st.error().message);
    }
    if (auto f = store.forums().get_forum(o.forum_id); !f) return program_fail(f.error().message);
    print_agenda(store, o.forum_id, o.json);
    return 0;
  }
  return std::nullopt;
}

}  // namespace forumcast
