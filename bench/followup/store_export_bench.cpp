// bench/followup/store_export_bench.cpp: the export benchmark FROM THE STORE. Writes
// the synthetic forum (bench/followup/synthetic_forum: default 10,000 questions +
// follow-ups with history, 50,000 comments, 2,000 tickets with events and ratings)
// into a fresh SQLite database through the store interfaces the server uses, then
// exports it in every format exactly as `forumcast export` and the HTTP route do
// (server/transcript_builder export_forum: read every row, build the transcript,
// write). Each format runs in its own child process that opens the database, so the
// peak RSS and the time are those of one export: export_ms is wall time of read +
// build + write, cpu_ms its user+system time.
// Usage: followup_store_export_bench [questions comments tickets] [--db PATH] [format...]
//   --db PATH reuses (or creates once) the database at PATH; default: a temp file.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "followup/writers.hpp"
#include "server/transcript_builder.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "synthetic_forum.hpp"

using namespace forumcast;
namespace fu = forumcast::followup;
using json = nlohmann::json;

namespace {

double cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

long maxrss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

Status wait_done(const std::function<void(std::function<void(Status)>)>& submit) {
  auto p = std::make_shared<std::promise<Status>>();
  auto f = p->get_future();
  submit([p](Status st) { p->set_value(std::move(st)); });
  return f.get();
}

QuestionRow row_of(const std::string& forum, const fu::Question& q) {
  QuestionRow r;
  r.id = q.id;
  r.forum_id = forum;
  r.parent_id = q.parent_id;
  r.source = q.source;
  r.asker_device_hash = "dev:" + q.asker.device_token;
  r.display_name = q.asker.display_name;
  r.compound = q.asker.compound;
  r.building = q.asker.building;
  r.text = q.text;
  if (!q.original_text.empty()) r.original_text = q.original_text;
  r.category = q.category == fu::QuestionCategory::none ? "" : std::string(to_string(q.category));
  r.tags_json = json(q.tags).dump();
  r.agenda_item = q.agenda_item_id;
  r.state = std::string(to_string(q.state));
  r.merged_into = q.merged_into;
  r.reject_reason = q.reject_reason;
  r.reject_text = q.reject_text;
  r.votes = q.votes;
  json on_air = json::array(), answers = json::array();
  for (const auto& o : q.on_air) {
    json j = {{"start_ms", o.started_at_ms}, {"start_stream_ms", o.start_stream_ms}};
    if (o.ended_at_ms) j["end_ms"] = *o.ended_at_ms;
    if (o.end_stream_ms) j["end_stream_ms"] = *o.end_stream_ms;
    on_air.push_back(j);
    if (o.answered)
      answers.push_back({{"summary", o.summary},
                         {"panelist", o.panelist},
                         {"by", "moderator"},
                         {"at_ms", o.ended_at_ms.value_or(o.started_at_ms)}});
  }
  r.on_air_json = on_air.dump();
  r.answers_json = answers.dump();
  r.created_ms = q.created_ms;
  r.created_stream_ms = q.created_stream_ms;
  r.updated_ms = q.created_ms;
  return r;
}

void add_history(QuestionChangeRecord& rec, const std::string& forum, const fu::Question& q) {
  for (const auto& h : q.history) {
    QuestionHistoryRow row;
    row.forum_id = forum;
    row.question_id = q.id;
    row.op = h.op;
    row.actor = h.actor;
    row.actor_role = h.actor_role.empty() ? "moderator" : h.actor_role;
    row.at_ms = h.at_ms;
    row.stream_ms = h.stream_ms;
    if (!h.from_state.empty()) row.before_json = json{{"state", h.from_state}}.dump();
    row.after_json = json{{"state", h.to_state}}.dump();
    rec.history.push_back(std::move(row));
  }
}

// Writes the synthetic forum into the store; returns the forum id.
Result<std::string> seed(Store& store, const fu::Transcript& t) {
  Forum f;
  f.id = t.forum.id;
  f.title = t.forum.title;
  f.topic = t.forum.topic;
  f.starts_at = t.forum.starts_at;
  f.state = ForumState::ended;
  f.stream_key = "bench-key";
  f.created_ms = f.updated_ms = t.generated_ms;
  if (Status st = store.forums().create_forum(f); !st) return st.error();
  std::vector<PanelRow> panel;
  for (const auto& p : t.panel)
    panel.push_back({p.name, p.title, std::string(fu::to_string(p.role))});
  if (Status st = store.programs().set_panel(f.id, panel, {0, f.id, "bench", "forum.panel"}); !st)
    return st.error();
  std::vector<AgendaRow> agenda;
  for (const auto& a : t.agenda) agenda.push_back({a.id, a.title, a.planned_minutes});
  if (auto ag = store.programs().set_agenda(f.id, agenda, {0, f.id, "bench", "forum.agenda"}); !ag)
    return ag.error();

  QuestionChangeRecord rec;
  auto flush = [&]() -> Status {
    if (rec.questions.empty()) return ok_status();
    QuestionChangeRecord batch = std::move(rec);
    rec = {};
    return wait_done([&](std::function<void(Status)> done) {
      store.questions().apply_question_change(std::move(batch), std::move(done));
    });
  };
  for (const auto& q : t.questions) {
    rec.questions.push_back(row_of(f.id, q));
    add_history(rec, f.id, q);
    for (const auto& fq : q.follow_ups) {
      rec.questions.push_back(row_of(f.id, fq));
      add_history(rec, f.id, fq);
    }
    if (rec.questions.size() >= 1000)
      if (Status st = flush(); !st) return st.error();
  }
  if (Status st = flush(); !st) return st.error();

  if (auto head = store.chat_log().open_stream(f.id, "bench-epoch", t.generated_ms); !head)
    return head.error();
  std::vector<std::future<Status>> pending;
  for (const auto& c : t.comments) {
    json body = {{"ev", "comment"},
                 {"seq", c.id},
                 {"text", c.text},
                 {"name", c.author.display_name},
                 {"compound", c.author.compound},
                 {"building", c.author.building}};
    if (c.stream_ms) body["stream_ms"] = *c.stream_ms;
    auto p = std::make_shared<std::promise<Status>>();
    pending.push_back(p->get_future());
    store.chat_log().append_event(ChatEventRecord{f.id, c.id, "comment", body.dump(),
                                                  "dev:" + c.author.device_token, c.at_ms},
                                  [p](Status st) { p->set_value(std::move(st)); });
    if (c.hidden) {
      AuditEntry a;
      a.forum_id = f.id;
      a.actor = c.hidden_by.empty() ? "moderator" : c.hidden_by;
      a.action = "comment.hide";
      a.target = "comment:" + std::to_string(c.id);
      a.at_ms = c.at_ms;
      if (auto r = store.audit().append_audit(a); !r) return r.error();
    }
  }
  for (auto& p : pending)
    if (Status st = p.get(); !st) return st.error();

  for (const auto& tk : t.tickets) {
    TicketChange ch = change_from(TicketRecord{}, tk, tk.created_ms);
    ch.ticket.thread_id = tk.question_id ? fu::thread_of(t, *tk.question_id) : std::nullopt;
    if (auto r = store.tickets().create_ticket(std::move(ch)); !r) return r.error();
  }
  store.flush();
  return f.id;
}

struct Sample {
  double export_ms = 0, export_cpu_ms = 0;
  long rss_open_kb = 0, rss_peak_kb = 0;
  long long bytes = 0;
  int ok = 0;
};

Sample run_child(const std::string& db, const std::string& forum, fu::Format fmt) {
  Sample s;
  auto store = open_sqlite_store({.path = db});
  if (!store) return s;
  s.rss_open_kb = maxrss_kb();
  const double c0 = cpu_ms();
  auto t0 = std::chrono::steady_clock::now();
  auto file = export_forum(**store, forum, fmt, fu::ExportOptions{}, "bench", 0);
  auto t1 = std::chrono::steady_clock::now();
  s.export_cpu_ms = cpu_ms() - c0;
  s.export_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  s.rss_peak_kb = maxrss_kb();
  s.ok = file.ok() ? 1 : 0;
  s.bytes = file.ok() ? static_cast<long long>(file->bytes.size()) : 0;
  if (!file.ok()) std::fprintf(stderr, "export failed: %s\n", file.error().message.c_str());
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  fu::bench::Size size;
  int a = 1;
  if (argc >= 4 && std::isdigit(static_cast<unsigned char>(argv[1][0]))) {
    size.questions = std::atoi(argv[1]);
    size.comments = std::atoi(argv[2]);
    size.tickets = std::atoi(argv[3]);
    a = 4;
  }
  std::string db;
  std::vector<fu::Format> formats;
  for (; a < argc; ++a) {
    if (std::string(argv[a]) == "--db" && a + 1 < argc) {
      db = argv[++a];
      continue;
    }
    if (auto f = fu::format_from_string(argv[a])) formats.push_back(*f);
  }
  if (formats.empty())
    formats = {fu::Format::json, fu::Format::csv,  fu::Format::xlsx,
               fu::Format::md,   fu::Format::html, fu::Format::vtt};
  std::string tmp;
  if (db.empty()) {
    tmp = (std::filesystem::temp_directory_path() / "forumcast-store-bench-XXXXXX").string();
    if (!mkdtemp(tmp.data())) return 2;
    db = tmp + "/forumcast.db";
  }
  // Seeding runs in a child too, so that the export children start from a parent
  // that never held the in-memory forum (their peak RSS is the export's own).
  std::string forum_id;
  {
    int fds[2];
    if (pipe(fds) != 0) return 2;
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      const fu::Transcript t = fu::bench::synthetic_forum(size);
      const bool fresh = !std::filesystem::exists(db);
      auto store = open_sqlite_store({.path = db});
      if (!store) {
        std::fprintf(stderr, "cannot open %s: %s\n", db.c_str(), store.error().message.c_str());
        _exit(2);
      }
      if (fresh) {
        auto t0 = std::chrono::steady_clock::now();
        auto seeded = seed(**store, t);
        if (!seeded) {
          std::fprintf(stderr, "seeding failed: %s\n", seeded.error().message.c_str());
          _exit(2);
        }
        std::printf("seeded %s in %.0f ms\n", db.c_str(),
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count());
        std::fflush(stdout);
      }
      const ssize_t w = write(fds[1], t.forum.id.data(), t.forum.id.size());
      _exit(w == static_cast<ssize_t>(t.forum.id.size()) ? 0 : 1);
    }
    close(fds[1]);
    char buf[256];
    ssize_t n = 0;
    while (true) {
      const ssize_t r = read(fds[0], buf + n, sizeof buf - static_cast<size_t>(n));
      if (r <= 0) break;
      n += r;
    }
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || n <= 0) return 2;
    forum_id.assign(buf, static_cast<size_t>(n));
  }
  std::printf("forum from the store: %d questions (+%d follow-ups), %d comments, %d tickets\n",
              size.questions, (size.questions + 9) / 10, size.comments, size.tickets);
  std::printf("%-6s %10s %10s %12s %14s %14s\n", "format", "export_ms", "cpu_ms", "bytes",
              "rss_open_MiB", "rss_peak_MiB");
  int failures = 0;
  for (fu::Format f : formats) {
    int fds[2];
    if (pipe(fds) != 0) return 2;
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      const Sample s = run_child(db, forum_id, f);
      const ssize_t w = write(fds[1], &s, sizeof s);
      _exit(w == static_cast<ssize_t>(sizeof s) ? 0 : 1);
    }
    close(fds[1]);
    Sample s;
    const ssize_t r = read(fds[0], &s, sizeof s);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (r != static_cast<ssize_t>(sizeof s) || !s.ok) {
      std::printf("%-6s failed\n", std::string(fu::to_string(f)).c_str());
      ++failures;
      continue;
    }
    std::printf("%-6s %10.1f %10.1f %12lld %14.1f %14.1f\n", std::string(fu::to_string(f)).c_str(),
                s.export_ms, s.export_cpu_ms, s.bytes, s.rss_open_kb / 1024.0,
                s.rss_peak_kb / 1024.0);
  }
  if (!tmp.empty()) std::filesystem::remove_all(tmp);
  return failures ? 1 : 0;
}
