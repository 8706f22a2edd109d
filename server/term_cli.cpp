// server/term_cli.cpp: the `forumcast terms` subcommands (see term_cli.hpp).
#include "server/term_cli.hpp"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "moderation/term_lists.hpp"
#include "moderation/text_normalizer.hpp"
#include "server/term_routes.hpp"

namespace forumcast {
namespace {

namespace mod = forumcast::moderation;

int fail(const std::string& msg) {
  std::fprintf(stderr, "forumcast: %s\n", msg.c_str());
  return 1;
}

void print_list(const std::vector<mod::BlockedTerm>& terms, bool as_json) {
  if (as_json) {
    std::printf("%s\n", nlohmann::json::parse(mod::terms_json(terms)).dump(2).c_str());
    return;
  }
  for (const auto& t : terms) {
    if (t.action == mod::TermAction::timeout)
      std::printf("%-8s %-10lld %s\n", std::string(mod::to_string(t.action)).c_str(),
                  static_cast<long long>(t.timeout_ms), t.term.c_str());
    else
      std::printf("%-8s %-10s %s\n", std::string(mod::to_string(t.action)).c_str(), "-",
                  t.term.c_str());
  }
}

}  // namespace

CLI::App* add_terms_command(CLI::App& app, TermsCliOptions& o) {
  auto* terms = app.add_subcommand("terms", "Blocked-term lists (global, or --forum ID)");
  terms->fallthrough();
  terms->require_subcommand(1);
  terms->add_option("--forum", o.forum_id, "The forum's list instead of the global one");
  auto* list = terms->add_subcommand("list", "Print the list: action, timeout ms, term");
  list->fallthrough();
  list->add_flag("--json", o.json_out, "Print JSON");
  auto* add = terms->add_subcommand("add", "Add terms, or change the action of listed ones");
  add->fallthrough();
  add->add_option("terms", o.terms, "Terms (each up to 32 characters)");
  add->add_option("--action", o.action, "hold|mask|reject|timeout")
      ->check(CLI::IsMember({"hold", "mask", "reject", "timeout"}));
  add->add_option("--timeout-ms", o.timeout_ms, "For --action timeout: 1000..604800000");
  add->add_option("--file", o.file, "Also every line of FILE (blank lines and # comments skipped)")
      ->check(CLI::ExistingFile);
  auto* remove = terms->add_subcommand("remove", "Remove terms (exactly as listed)");
  remove->fallthrough();
  remove->add_option("terms", o.terms, "Terms")->required();
  return terms;
}

int run_terms_command(CLI::App& terms_cmd, Store& store, const Clock& clock, const Config& cfg,
                      const TermsCliOptions& o) {
  mod::set_term_change_marker(term_change_marker_path(cfg));
  if (!o.forum_id.empty()) {
    auto f = store.forums().get_forum(o.forum_id);
    if (!f) return fail("no forum " + o.forum_id);
  }
  if (terms_cmd.got_subcommand("list")) {
    auto l = mod::list_terms(store.blocked_terms(), o.forum_id);
    if (!l) return fail(l.error().message);
    print_list(*l, o.json_out);
    return 0;
  }
  mod::TermEdit edit;
  if (terms_cmd.got_subcommand("add")) {
    std::vector<std::string> words = o.terms;
    if (!o.file.empty()) {
      std::ifstream in(o.file);
      std::string line;
      while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        words.push_back(line);
      }
    }
    if (words.empty()) {
      std::fprintf(stderr, "forumcast: name at least one term (or --file)\n");
      return 2;
    }
    for (const auto& w : words) {
      auto t = mod::term_from_fields(w, o.action, o.timeout_ms);
      if (!t) return fail(t.error().message);
      edit.add.push_back(std::move(*t));
    }
  } else {
    edit.remove = o.terms;
  }
  auto norm = mod::TextNormalizer::create();
  if (!norm) return fail(norm.error().message);
  mod::Actor cli{Role::organizer, "cli", {}};
  auto r = mod::edit_terms(store.blocked_terms(), **norm, o.forum_id, cli, edit, clock.wall_ms());
  if (!r) return fail(r.error().message);
  std::printf("%s list: %zu terms%s\n", o.forum_id.empty() ? "global" : o.forum_id.c_str(),
              r->after.size(), r->changed ? "" : " (unchanged)");
  return 0;
}

}  // namespace forumcast
