// tests/integration/server/ws_test.cpp: the /ws endpoint: upgrade with the
// forumcast.v1 subprotocol, the placeholder replies, and the transport limits:
// oversized messages (1009), invalid UTF-8 (1007), binary frames (1003),
// refused upgrades (no subprotocol, wrong path, foreign origin).
#include "integration/server/server_fixture.hpp"
#include "support/wait.hpp"
#include "support/ws_client.hpp"

namespace forumcast::test {
namespace {

class ServerWs : public ServerTest {};

// Whatever handler serves /ws (the placeholder, then chat), an unknown operation
// gets an error reply carrying the request id.
TEST_F(ServerWs, UpgradeNegotiatesTheSubprotocolAndAnswers) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port())) << ws.handshake_response();
  EXPECT_EQ(ws.accepted_protocol(), "forumcast.v1");
  ASSERT_TRUE(ws.send_text(R"({"op":"no.such.op","rid":7})"));
  auto reply = ws.read_text();
  ASSERT_TRUE(reply);
  auto j = nlohmann::json::parse(*reply, nullptr, false);
  ASSERT_TRUE(j.is_object()) << *reply;
  EXPECT_EQ(j["rid"], 7);
  EXPECT_EQ(j["ok"], false);
  EXPECT_TRUE(j["error"].contains("code")) << *reply;
}

TEST_F(ServerWs, OversizedMessageIsClosedWith1009) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  ASSERT_TRUE(ws.send_text(std::string(9000, 'a')));
  EXPECT_EQ(ws.wait_close(), 1009);
}

TEST_F(ServerWs, OversizedFragmentedMessageIsClosedWith1009) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  std::string part(3000, 'b');
  ASSERT_TRUE(ws.send_frame(ws_op::text, part, false));
  ASSERT_TRUE(ws.send_frame(ws_op::continuation, part, false));
  ASSERT_TRUE(ws.send_frame(ws_op::continuation, part, true));
  EXPECT_EQ(ws.wait_close(), 1009);
}

TEST_F(ServerWs, MessageAtTheLimitIsAccepted) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  std::string msg = R"({"op":"no.such.op","rid":1,"pad":")";
  msg += std::string(8192 - msg.size() - 2, 'x') + "\"}";
  ASSERT_EQ(msg.size(), 8192u);
  ASSERT_TRUE(ws.send_text(msg));
  auto reply = ws.read_text();
  ASSERT_TRUE(reply) << "answered, not closed";
  EXPECT_EQ(nlohmann::json::parse(*reply)["rid"], 1);
}

TEST_F(ServerWs, InvalidUtf8IsClosedWith1007) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  ASSERT_TRUE(ws.send_text(std::string("{\"op\":\"\xff\xfe\"}")));
  EXPECT_EQ(ws.wait_close(), 1007);
}

TEST_F(ServerWs, BinaryFramesAreClosedWith1003) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  ASSERT_TRUE(ws.send_binary(std::string("\x01\x02\x03", 3)));
  EXPECT_EQ(ws.wait_close(), 1003);
}

TEST_F(ServerWs, RefusedUpgrades) {
  WsClient none;
  EXPECT_FALSE(none.connect(port(), "/ws", ""));
  EXPECT_EQ(none.handshake_status(), 400);

  WsClient path;
  EXPECT_FALSE(path.connect(port(), "/elsewhere"));
  EXPECT_EQ(path.handshake_status(), 404);

  WsClient foreign;
  EXPECT_FALSE(foreign.connect(port(), "/ws", "forumcast.v1", {{"Origin", "http://evil.example"}}));
  EXPECT_EQ(foreign.handshake_status(), 403);

  WsClient same;
  EXPECT_TRUE(same.connect(port(), "/ws", "forumcast.v1",
                           {{"Origin", "http://127.0.0.1:" + std::to_string(port())}}));
  // The server is unharmed.
  EXPECT_EQ(http_get(port(), "/healthz").status, 200);
}

TEST_F(ServerWs, ClientCloseIsAnswered) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  ASSERT_TRUE(ws.send_close(1000, "bye"));
  EXPECT_EQ(ws.wait_close(), 1000);
}

class ServerWsLimits : public ServerTest {
 protected:
  std::vector<std::string> serve_args() override {
    return {"--limits.max_connections_per_ip", "2"};
  }
};

TEST_F(ServerWsLimits, ConnectionsPerAddressAreBounded) {
  WsClient a, b, c;
  ASSERT_TRUE(a.connect(port()));
  ASSERT_TRUE(b.connect(port()));
  EXPECT_FALSE(c.connect(port()));
  EXPECT_EQ(c.handshake_status(), 429);
  a.send_close();
  ASSERT_EQ(a.wait_close(), 1000);
  a.close_socket();
  // Once the server has seen the close, a new connection fits again.
  EXPECT_TRUE(wait_until([&] {
    WsClient d;
    return d.connect(port());
  }));
}

class ServerWsIdle : public ServerTest {
 protected:
  std::vector<std::string> serve_args() override { return {"--limits.idle_timeout_s", "2"}; }
};

// A silent client is pinged after half the idle timeout and, if it never answers,
// hung up at the timeout.
TEST_F(ServerWsIdle, SilentClientIsPingedThenDropped) {
  WsClient ws;
  ASSERT_TRUE(ws.connect(port()));
  auto f = ws.read_frame(std::chrono::seconds(10));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_op::ping);
  EXPECT_FALSE(ws.read_frame(std::chrono::seconds(10)) && !ws.eof());
  EXPECT_TRUE(ws.eof());
}

}  // namespace
}  // namespace forumcast::test
