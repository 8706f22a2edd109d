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

}  // namespace forumcast
