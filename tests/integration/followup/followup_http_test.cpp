// tests/integration/followup/followup_http_test.cpp: the follow-through routes on
// the wire: a real net::Loop on 127.0.0.1 port 0 with a real SQLite store, the
// transcript route mounted under /api/v1/forums/* as http_api mounts it, the ticket
// routes registered as serve registers them, requests from tests/support's HTTP
// client. Checks the headers a browser sees (Content-Type, Content-Disposition),
// that the xlsx that came over HTTP unzips with its sheets, a ticket made over HTTP
// appearing in the export, and the `forumcast export` options parsed by CLI11.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "net/loop.hpp"
#include "server/export_cli.hpp"
#include "server/export_routes.hpp"
#include "server/ticket_routes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/http_client.hpp"

namespace forumcast {
namespace {

using json = nlohmann::json;
const std::string kForum = "k3m9q2xw7a";

std::variant<Principal, net::HttpResponse> test_gate(const net::HttpRequest& req, Action a) {
  // The transport keeps only a few headers (authorization among them): the test
  // names its caller as the bearer token.
  std::string who = req.header("authorization");
  if (who.rfind("Bearer ", 0) == 0) who = who.substr(7);
  Principal p;
  if (who == "organizer") p = {Caller::organizer, "zhaomin"};
  if (who == "moderator") p = {Caller::moderator, "liuyang"};
  if (!allowed(p.caller, a))
    return net::HttpResponse::error(p.caller == Caller::anonymous ? 401 : 403, "forbidden", "no");
  return p;
}

class FollowupHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "forumcast-fh-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto s = open_sqlite_store({.path = dir_ + "/forumcast.db"});
    ASSERT_TRUE(s.ok());
    store_ = std::move(s.value());
    Forum f;
    f.id = kForum;
    f.title = "书记论坛 · 第四期:小区微改造,听听大家怎么说";
    f.topic = "中心广场改造、楼道安全、租客融入社区";
    f.state = ForumState::live;
    f.stream_key = "k";
    ASSERT_TRUE(store_->forums().create_forum(f).ok());
    QuestionRow q;
    q.id = 1;
    q.forum_id = kForum;
    q.source = "resident";
    q.asker_device_hash = "hash-1";
    q.display_name = "李阿姨";
    q.compound = "春晖苑一期";
    q.text = "中心广场荒废好几年了,改造以后能不能多放几张长椅?老人想坐下来聊聊天。";
    q.category = "need";
    q.state = "answered";
    q.on_air_json = R"([{"start_ms":1,"start_stream_ms":65000,"end_ms":9,"end_stream_ms":125000}])";
    q.answers_json =
        R"([{"summary":"增设长椅","panelist":"王红梅","by":"liuyang","at_ms":5,"stream_ms":100000}])";
    q.created_ms = q.updated_ms = 1;
    auto p = std::make_shared<std::promise<Status>>();
    store_->questions().apply_question_change({{q}, {}, {}}, [p](Status st) { p->set_value(st); });
    ASSERT_TRUE(p->get_future().get().ok());

    ctx_ = std::make_unique<TicketRoutesContext>(
        TicketRoutesContext{*store_, clock_, {}, {}, nullptr, test_gate});
    register_ticket_routes(router_, *ctx_);
    router_.add_sync_route("*", "/api/v1/forums/*", [this](const net::HttpRequest& req) {
      std::string rest = req.path.substr(std::string("/api/v1/forums/").size());
      std::string id = rest.substr(0, rest.find('/'));
      std::string sub = rest.size() > id.size() ? rest.substr(id.size() + 1) : "";
      auto r = route_forum_followup(*store_, clock_, req, id, sub,
                                    [&req](Action a) { return test_gate(req, a); });
      return r ? *r : net::HttpResponse::error(404, "not_found", "nothing here");
    });
    router_.reserve_prefix("/api/");
    net::LoopOptions lo;
    lo.port = 0;
    loop_ = std::make_unique<net::Loop>(lo, router_, nullptr);
    ASSERT_TRUE(loop_->listen().ok());
    port_ = loop_->port();
    thread_ = std::thread([this] { loop_->run(); });
  }
  void TearDown() override {
    if (loop_) loop_->stop();
    if (thread_.joinable()) thread_.join();
    loop_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  FakeClock clock_{1'764'900'000'000};
  std::unique_ptr<TicketRoutesContext> ctx_;
  net::HttpRouter router_;
  std::unique_ptr<net::Loop> loop_;
  std::thread thread_;
  int port_ = 0;
};

TEST_F(FollowupHttp, DownloadsCarryTypeAndFileName) {
  const test::Headers org = {{"Authorization", "Bearer organizer"}};
  const std::string base = "/api/v1/forums/" + kForum + "/transcript";
  auto anon = test::http_get(port_, base);
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(test::http_get(port_, base, {{"Authorization", "Bearer moderator"}}).status, 403);
  struct Case {
    const char* format;
    const char* type;
  };
  for (const Case& c :
       {Case{"json", "application/json"}, Case{"csv", "text/csv; charset=utf-8"},
        Case{"md", "text/markdown; charset=utf-8"}, Case{"html", "text/html; charset=utf-8"},
        Case{"vtt", "text/vtt; charset=utf-8"},
        Case{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}) {
    auto r = test::http_get(port_, base + "?format=" + c.format, org);
    ASSERT_EQ(r.status, 200) << c.format << " " << r.error << r.body;
    EXPECT_EQ(r.header("content-type"), c.type);
    EXPECT_EQ(r.header("content-disposition"),
              "attachment; filename=\"" + kForum + "-transcript." + c.format + "\"");
    if (std::string(c.format) == "vtt")
      EXPECT_NE(r.body.find("00:01:05.000 --> 00:02:05.000"), std::string::npos);
    if (std::string(c.format) == "xlsx") {
      std::ofstream(dir_ + "/wire.xlsx", std::ios::binary) << r.body;
      FILE* p = popen(("unzip -p " + dir_ + "/wire.xlsx 'xl/worksheets/sheet1.xml'").c_str(), "r");
      ASSERT_NE(p, nullptr);
      std::string sheet;
      char buf[4096];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, p)) > 0) sheet.append(buf, n);
      pclose(p);
      EXPECT_NE(sheet.find("中心广场荒废好几年了"), std::string::npos);
    }
  }
  EXPECT_EQ(test::http_get(port_, "/api/v1/forums/nosuchforu/transcript", org).status, 404);
}

TEST_F(FollowupHttp, ATicketMadeOverHttpIsInTheExport) {
  auto made =
      test::http_post_json(port_, "/api/v1/tickets", R"({"question_id":1,"title":"广场增设长椅"})",
                           {{"Authorization", "Bearer moderator"}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto list = test::http_get(port_, "/api/v1/tickets?forum=" + kForum + "&status=open",
                             {{"Authorization", "Bearer organizer"}});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(json::parse(list.body)["tickets"].size(), 1u);
  auto j = json::parse(test::http_get(port_, "/api/v1/forums/" + kForum + "/transcript",
                                      {{"Authorization", "Bearer organizer"}})
                           .body);
  ASSERT_EQ(j["tickets"].size(), 1u);
  EXPECT_EQ(j["tickets"][0]["title"], "广场增设长椅");
  EXPECT_EQ(j["questions"][0]["ticket_ids"][0], j["tickets"][0]["id"]);
}

TEST(ExportCli, OptionsParseAsDocumented) {
  CLI::App app;
  ExportCliOptions o;
  auto* cmd = add_export_command(app, o);
  const char* argv[] = {"forumcast", "export", "--forum", "k3m9q2xw7a",         "--format",
                        "xlsx",      "-o",     "m.xlsx",  "--include-contacts", "--include-hidden",
                        "--lang",    "en"};
  ASSERT_NO_THROW(app.parse(12, const_cast<char**>(argv)));
  EXPECT_TRUE(cmd->parsed());
  EXPECT_EQ(o.forum_id, "k3m9q2xw7a");
  EXPECT_EQ(o.format, "xlsx");
  EXPECT_EQ(o.output, "m.xlsx");
  EXPECT_TRUE(o.include_contacts);
  EXPECT_TRUE(o.include_hidden);
  EXPECT_EQ(o.lang, "en");
  CLI::App bad;
  ExportCliOptions o2;
  add_export_command(bad, o2);
  const char* argv2[] = {"forumcast", "export", "--forum", "x", "--format", "pdf"};
  EXPECT_THROW(bad.parse(6, const_cast<char**>(argv2)), CLI::ParseError);
}

}  // namespace
}  // namespace forumcast
