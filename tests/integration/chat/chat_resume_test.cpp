// Resume on the real server: after a dropped connection the join with `since`
// replays exactly the missed events; after a server restart the stream keeps
// its epoch and history comes from the store.
#include <gtest/gtest.h>

#include "chat_client.hpp"
#include "support/test_server.hpp"

namespace forumcast::test {
namespace {

const std::string kForum = "demoforum4";

TEST(chat_resume, AfterADroppedConnectionExactlyTheMissedEventsAreReplayed) {
  TestServer server(TestServerOptions{"", {"--demo"}, ""});
  ASSERT_TRUE(server.start()) << server.stderr_text();
  std::string dev_a = new_device_token(server.port()), dev_b = new_device_token(server.port());
  ChatClient b;
  ASSERT_TRUE(b.connect(server.port()));
  ASSERT_EQ(b.join(kForum, dev_b, "李师傅")["ok"], true);
  ASSERT_EQ(b.comment("开场前先说一句")["ok"], true);

  auto a = std::make_unique<ChatClient>();
  ASSERT_TRUE(a->connect(server.port()));
  json j = a->join(kForum, dev_a, "张阿姨");
  ASSERT_EQ(j["ok"], true);
  std::string epoch = j["epoch"];
  int64_t seen = j["seq"];
  ASSERT_GE(j["events"].size(), 1u);  // history includes the earlier comment
  a->ws.close_socket();               // the phone goes into a tunnel
  a.reset();

  std::vector<std::string> missed = {"广场方案什么时候公示?", "电梯加装要几户同意?",
                                     "租客能投票吗?"};
  for (auto& t : missed) ASSERT_EQ(b.comment(t)["ok"], true);

  ChatClient again;
  ASSERT_TRUE(again.connect(server.port()));
  json r = again.join(kForum, dev_a, "张阿姨", {{"epoch", epoch}, {"seq", seen}});
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(r["recovered"], true);
  ASSERT_EQ(r["events"].size(), missed.size());
  for (size_t i = 0; i < missed.size(); ++i) {
    EXPECT_EQ(r["events"][i]["seq"], seen + 1 + static_cast<int64_t>(i));
    EXPECT_EQ(r["events"][i]["text"], missed[i]);
  }
  EXPECT_EQ(r["seq"], seen + 3);
  // And it is live again: the next comment arrives as an event.
  ASSERT_EQ(b.comment("欢迎回来")["ok"], true);
  auto ev = again.next_event("comment");
  ASSERT_TRUE(ev);
  EXPECT_EQ((*ev)["seq"], seen + 4);

  // A resume point from another epoch gets fresh history, not a wrong replay.
  ChatClient stranger;
  ASSERT_TRUE(stranger.connect(server.port()));
  json s = stranger.join(kForum, dev_a, "张阿姨", {{"epoch", "otherepoch"}, {"seq", 1}});
  EXPECT_EQ(s["recovered"], false);
  EXPECT_EQ(s["events"].back()["text"], "欢迎回来");
}

TEST(chat_resume, AfterAServerRestartHistoryAndResumeComeFromTheStore) {
  TestServer server(TestServerOptions{"", {"--demo"}, ""});
  ASSERT_TRUE(server.start()) << server.stderr_text();
  std::string dev = new_device_token(server.port());
  std::string epoch;
  int64_t seen = 0;
  {
    ChatClient a;
    ASSERT_TRUE(a.connect(server.port()));
    json j = a.join(kForum, dev, "张阿姨");
    epoch = j["epoch"];
    ASSERT_EQ(a.comment("重启前的第一条")["ok"], true);
    json ack = a.comment("重启前的第二条");
    ASSERT_EQ(ack["ok"], true);
    seen = ack["seq"].get<int64_t>() - 1;  // pretend the second one was missed
  }
  ASSERT_EQ(server.stop(), 0);
  ASSERT_TRUE(server.start()) << server.stderr_text();

  ChatClient a;
  ASSERT_TRUE(a.connect(server.port()));
  json r = a.join(kForum, dev, "张阿姨", {{"epoch", epoch}, {"seq", seen}});
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(r["epoch"], epoch);
  EXPECT_EQ(r["recovered"], true);
  ASSERT_EQ(r["events"].size(), 1u);
  EXPECT_EQ(r["events"][0]["text"], "重启前的第二条");

  ChatClient fresh;
  ASSERT_TRUE(fresh.connect(server.port()));
  json h = fresh.join(kForum, new_device_token(server.port()), "李师傅");
  ASSERT_GE(h["events"].size(), 2u);
  EXPECT_EQ(h["events"][h["events"].size() - 2]["text"], "重启前的第一条");
  // Seqs continue after the restart.
  json ack = fresh.comment("重启后的第一条");
  EXPECT_EQ(ack["seq"], seen + 2);
}

}  // namespace
}  // namespace forumcast::test
