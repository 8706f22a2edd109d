// tests/unit/followup/writers_test.cpp: json, csv, md, html and vtt exports of the
// demo forum as a user would check them: parse them back, find the Chinese text,
// the quotes, commas and newlines intact; escaping in minutes; VTT timing; the
// privacy rules; and that every format lists the same questions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "demo_transcript.hpp"
#include "followup/writers.hpp"
#include "test_helpers.hpp"

namespace forumcast::followup {
namespace {

using testing::count_of;
using testing::parse_csv;

const std::string kTricky = "他说:\"能不能, 快点修?\"\n第二行,还有逗号";
const std::string kFormula = "=HYPERLINK(\"http://evil\",\"点我\")";
const std::string kMarkup = "<script>alert('x')</script> & <b>粗体</b>";

Transcript tricky() {
  Transcript t = testing::demo_transcript();
  t.questions[0].text = kTricky;
  t.questions[1].text = kFormula;
  t.questions[2].text = kMarkup;
  t.questions[2].asker.display_name = "王<i>阿姨</i>";
  return t;
}

TEST(followup_json, complete_and_versioned) {
  const Transcript t = testing::demo_transcript();
  const auto j = nlohmann::json::parse(write_json(t, {}));
  EXPECT_EQ(j["schema"], "forumcast.transcript.v1");
  EXPECT_EQ(j["forum"]["id"], "F4DEMO2612");
  EXPECT_EQ(j["forum"]["state"], "ended");
  EXPECT_EQ(j["panel"].size(), 5u);
  EXPECT_EQ(j["panel"][4]["role"], "resident_representative");
  EXPECT_EQ(j["agenda"].size(), 4u);
  EXPECT_EQ(j["agenda"][1]["planned_minutes"], 20);
  ASSERT_EQ(j["questions"].size(), 24u);
  const auto& q2 = j["questions"][1];
  EXPECT_EQ(q2["id"], 2);
  EXPECT_EQ(q2["state"], "answered");
  EXPECT_EQ(q2["category"], "problem");
  EXPECT_EQ(q2["votes"], 25);
  EXPECT_EQ(q2["asker"]["compound"], "春晖苑一期");
  ASSERT_EQ(q2["on_air"].size(), 2u);
  EXPECT_EQ(q2["on_air"][0]["answered"], false);
  EXPECT_EQ(q2["on_air"][1]["start_stream_ms"], 400000);
  EXPECT_EQ(q2["on_air"][1]["panelist"], "陈思远");
  EXPECT_EQ(q2["on_air"][1]["replay"], "/f/F4DEMO2612/replay?t=400");
  EXPECT_EQ(q2["ticket_ids"], nlohmann::json::array({1}));
  ASSERT_EQ(q2["follow_ups"].size(), 1u);
  EXPECT_EQ(q2["follow_ups"][0]["parent_id"], 2);
  EXPECT_EQ(q2["follow_ups"][0]["state"], "answered");
  EXPECT_EQ(j["questions"][7]["ticket_ids"], nlohmann::json::array({2, 4}));  // T4 via follow-up 26
  EXPECT_EQ(j["questions"][3]["reject_reason"], "与本期议题重复,已转交广场舞管理专题");
  EXPECT_EQ(j["questions"][6]["merged_into"], 3);
  EXPECT_EQ(j["questions"][0]["history"][0]["op"], "ask");
  EXPECT_EQ(j["questions"][0]["history"][0]["actor_role"], "resident");
  EXPECT_TRUE(j["questions"][0]["history"][0]["from"].is_null());
  EXPECT_EQ(q2["history"][2]["op"], "put_on_air");
  EXPECT_EQ(q2["history"][2]["stream_ms"], 300000);
  EXPECT_EQ(q2["history"][3]["op"], "back_to_queue");
  EXPECT_EQ(j["questions"][21]["reject_text"], "请直接联系物业服务中心");
  EXPECT_TRUE(j["questions"][3]["reject_text"].is_null());
  EXPECT_EQ(q2["source"], "resident");
  ASSERT_EQ(j["tickets"].size(), 8u);
  const auto& t3 = j["tickets"][2];
  EXPECT_EQ(t3["state"], "closed");
  EXPECT_EQ(t3["resolution_round"], 2);
  EXPECT_EQ(t3["time_to_resolve_ms"], 480 * testing::kHour);
  EXPECT_EQ(t3["history"].back()["action"], "auto_close");
  EXPECT_EQ(t3["ratings"][0]["stars"], 2);
  EXPECT_EQ(t3["assignees"][0]["kind"], "department");
  EXPECT_EQ(j["figures"]["forum"]["asked"], 24);
  EXPECT_EQ(j["figures"]["forum"]["median_resolve_ms"], 72 * testing::kHour);
  EXPECT_EQ(j["figures"]["by_compound"].size(), 6u);
  EXPECT_EQ(j["counts"]["comments"], 9);
  EXPECT_EQ(j["counts"]["hidden_comments_omitted"], 1);
}

TEST(followup_json, tricky_text_round_trips) {
  const auto j = nlohmann::json::parse(write_json(tricky(), {}));
  EXPECT_EQ(j["questions"][0]["text"], kTricky);
  EXPECT_EQ(j["questions"][1]["text"], kFormula);
  EXPECT_EQ(j["questions"][2]["text"], kMarkup);
}

TEST(followup_csv, bom_header_and_one_row_per_question) {
  const std::string csv = write_csv(testing::demo_transcript(), {});
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const auto rows = parse_csv(csv.substr(3));
  ASSERT_EQ(rows.size(), 25u);
  EXPECT_EQ(rows[0][0], "编号");
  EXPECT_EQ(rows[0][4], "内容");
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
    EXPECT_EQ(rows[i][0], std::to_string(i));
  }
  EXPECT_EQ(rows[1][1], "已答复");
  EXPECT_EQ(rows[1][2], "需求");
  EXPECT_EQ(rows[1][3], "中心广场改造方案征求意见");
  EXPECT_EQ(rows[4][1], "未采纳");
  // every record ends in CRLF
  EXPECT_EQ(count_of(csv, "\r\n"), 25u);
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  // English headings on request; data is not translated.
  ExportOptions en;
  en.lang = Lang::en;
  const auto er = parse_csv(write_csv(testing::demo_transcript(), en).substr(3));
  EXPECT_EQ(er[0][0], "ID");
  EXPECT_EQ(er[1][1], "answered");
  EXPECT_EQ(er[1][9], "春晖苑一期");
}

TEST(followup_csv, quotes_commas_newlines_and_formulas) {
  const std::string csv = write_csv(tricky(), {});
  EXPECT_NE(csv.find("\"他说:\"\"能不能, 快点修?\"\"\n第二行,还有逗号\""), std::string::npos);
  const auto rows = parse_csv(csv.substr(3));
  ASSERT_EQ(rows.size(), 25u);
  EXPECT_EQ(rows[1][4], kTricky);
  EXPECT_EQ(rows[2][4], "'" + kFormula);  // never a live formula in a spreadsheet
  EXPECT_EQ(rows[3][4], kMarkup);
  const auto header = rows[0];
  const auto col = std::find(header.begin(), header.end(), "答复摘要") - header.begin();
  EXPECT_EQ(rows[1][static_cast<size_t>(col)], "方案里已预留12张长椅,东侧树荫下集中设置休息区。");
  const auto rl = std::find(header.begin(), header.end(), "回放链接") - header.begin();
  EXPECT_EQ(rows[2][static_cast<size_t>(rl)], "/f/F4DEMO2612/replay?t=400");
}

TEST(followup_minutes, markdown_has_the_record) {
  const std::string md = write_markdown(testing::demo_transcript(), {});
  EXPECT_EQ(md.rfind("# 会议纪要:书记论坛 · 第四期", 0), 0u);
  EXPECT_NE(md.find("2026-12-05T14:00:00+08:00"), std::string::npos);
  EXPECT_NE(md.find("| 王红梅 | 春晖社区党支部书记 | 书记 |"), std::string::npos);
  EXPECT_NE(md.find("1. 中心广场改造方案征求意见 (25 分钟)"), std::string::npos);
  EXPECT_NE(md.find("#### #2 · 问题 · 已答复"), std::string::npos);
  EXPECT_NE(md.find("- 提问:老李(春晖苑一期 2号楼)"), std::string::npos);
  EXPECT_NE(md.find("- 附议:25"), std::string::npos);
  EXPECT_NE(md.find("- 答复:铺装改用透水防滑砖,雨天不积水。"), std::string::npos);
  EXPECT_NE(md.find("- 回答人:陈思远"), std::string::npos);
  EXPECT_NE(md.find("[0:06:40](/f/F4DEMO2612/replay?t=400)"), std::string::npos);
  EXPECT_NE(md.find("**追问 #25**"), std::string::npos);
  EXPECT_NE(md.find("- 工单:T1 "), std::string::npos);
  EXPECT_NE(md.find("## 汇总"), std::string::npos);
  EXPECT_NE(md.find("| **全部** | 24 | 20 | 11 | 7 | 8 | 5 | 72.0 | 480.0 | 3.50 | 80.0% |"),
            std::string::npos);
  // Answered questions come in on-air order inside their agenda item.
  EXPECT_LT(md.find("#### #1 "), md.find("#### #2 "));
  EXPECT_LT(md.find("#### #5 "), md.find("#### #6 "));
}

TEST(followup_minutes, markdown_escapes_resident_text) {
  const std::string md = write_markdown(tricky(), {});
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find("\\<script\\>alert\\('x'\\)\\</script\\> & \\<b\\>粗体\\</b\\>"),
            std::string::npos);
  EXPECT_NE(md.find("> 他说:\"能不能, 快点修?\"\n> 第二行,还有逗号"), std::string::npos);
  EXPECT_NE(md.find("王\\<i\\>阿姨\\</i\\>"), std::string::npos);
}

TEST(followup_minutes, html_is_escaped_and_linked) {
  const std::string html = write_html(tricky(), {});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_NE(
      html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;粗体&lt;/b&gt;"),
      std::string::npos);
  EXPECT_NE(html.find("他说:&quot;能不能, 快点修?&quot;<br>第二行"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/f/F4DEMO2612/replay?t=400\">0:06:40</a>"), std::string::npos);
  EXPECT_NE(html.find("<td>陈思远</td><td>建筑设计院设计师</td><td>专家</td>"), std::string::npos);
  EXPECT_NE(html.find("<h2>汇总</h2>"), std::string::npos);
  const std::string plain = write_html(testing::demo_transcript(), {});
  EXPECT_EQ(plain.find("http"), std::string::npos);  // standalone: loads nothing
  EXPECT_EQ(plain.find("src="), std::string::npos);
  ExportOptions en;
  en.lang = Lang::en;
  const std::string eh = write_html(testing::demo_transcript(), en);
  EXPECT_NE(eh.find("<h1>Minutes: "), std::string::npos);
  EXPECT_NE(eh.find("<h2>Summary</h2>"), std::string::npos);
}

TEST(followup_vtt, chapters_with_webvtt_timing) {
  const std::string vtt = write_vtt(testing::demo_transcript(), {});
  EXPECT_EQ(vtt.rfind("WEBVTT", 0), 0u);
  EXPECT_NE(vtt.find("\n\nq1\n00:01:00.000 --> 00:05:00.000\n#1 中心广场荒废好几年了"),
            std::string::npos);
  EXPECT_NE(vtt.find("\n\nq2\n00:05:00.000 --> 00:05:30.000\n"), std::string::npos);
  EXPECT_NE(vtt.find("\n\nq2-2\n00:06:40.000 --> 00:10:00.000\n"), std::string::npos);
  EXPECT_NE(vtt.find("\n\nq25\n00:10:10.000 --> 00:10:40.000\n追问 #25 "), std::string::npos);
  // still on air at export: the last chapter runs one minute
  EXPECT_NE(vtt.find("\n\nq24\n00:58:20.000 --> 00:59:20.000\n"), std::string::npos);
  const std::regex timing(R"(^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$)");
  size_t cues = 0, pos = 0;
  std::string prev_end = "00:00:00.000";
  while (true) {
    const size_t arrow = vtt.find(" --> ", pos);
    if (arrow == std::string::npos) break;
    const size_t ls = vtt.rfind('\n', arrow) + 1;
    const size_t le = vtt.find('\n', arrow);
    const std::string line = vtt.substr(ls, le - ls);
    EXPECT_TRUE(std::regex_match(line, timing)) << line;
    EXPECT_LE(prev_end, line.substr(0, 12)) << "chapters overlap at " << line;
    EXPECT_LT(line.substr(0, 12), line.substr(17, 12));
    prev_end = line.substr(17, 12);
    ++cues;
    pos = le;
  }
  EXPECT_EQ(cues, 14u);  // 13 on-air ranges of questions (q2 twice) + follow-up 25
  const std::string t = write_vtt(tricky(), {});
  EXPECT_NE(t.find("#1 他说:\"能不能, 快点修?\" 第二行,还有逗号"), std::string::npos);
  EXPECT_NE(t.find("#3 &lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;"),
            std::string::npos);
}

TEST(followup_writers, stream_time_and_links) {
  EXPECT_EQ(format_stream_time(0), "0:00:00");
  EXPECT_EQ(format_stream_time(3'723'999), "1:02:03");
  EXPECT_EQ(replay_link("F4DEMO2612", 61'999), "/f/F4DEMO2612/replay?t=61");
  EXPECT_EQ(format_from_string("xlsx"), Format::xlsx);
  EXPECT_FALSE(format_from_string("pdf").has_value());
  EXPECT_EQ(content_type(Format::csv), "text/csv; charset=utf-8");
}

// Privacy: phone numbers, device tokens and rater keys only on explicit request;
// hidden comments only on explicit request.
TEST(followup_privacy, contacts_and_hidden_comments_only_when_asked) {
  const Transcript t = testing::demo_transcript();
  const std::string phone = t.questions[0].asker.phone;
  const std::string token = t.questions[0].asker.device_token;
  const std::string spam = "加微信领红包";
  ExportOptions def;
  for (Format f : {Format::json, Format::csv, Format::md, Format::html, Format::vtt}) {
    const std::string out = export_transcript(t, f, def).value();
    EXPECT_EQ(out.find(phone), std::string::npos) << to_string(f);
    EXPECT_EQ(out.find(token), std::string::npos) << to_string(f);
    EXPECT_EQ(out.find("dev-"), std::string::npos) << to_string(f);
    EXPECT_EQ(out.find("13912345"), std::string::npos) << to_string(f);
    EXPECT_EQ(out.find(spam), std::string::npos) << to_string(f);
  }
  ExportOptions contacts;
  contacts.include_contacts = true;
  const auto j = nlohmann::json::parse(write_json(t, contacts));
  EXPECT_EQ(j["questions"][0]["asker"]["phone"], phone);
  EXPECT_EQ(j["questions"][0]["asker"]["device_token"], token);
  EXPECT_EQ(j["tickets"][0]["ratings"][0]["rater"], "dev-rater-2");
  EXPECT_NE(write_csv(t, contacts).find(phone), std::string::npos);
  EXPECT_NE(write_markdown(t, contacts).find(phone), std::string::npos);
  EXPECT_EQ(write_json(t, contacts).find(spam), std::string::npos);

  ExportOptions hidden;
  hidden.include_hidden_comments = true;
  const auto h = nlohmann::json::parse(write_json(t, hidden));
  ASSERT_EQ(h["comments"].size(), 10u);
  EXPECT_EQ(h["comments"][9]["hidden"], true);
  EXPECT_EQ(h["comments"][9]["hidden_by"], "mod_xu");
  EXPECT_EQ(h["counts"]["hidden_comments_omitted"], 0);
  EXPECT_EQ(write_json(t, hidden).find(phone), std::string::npos);
  const auto d = nlohmann::json::parse(write_json(t, def));
  EXPECT_EQ(d["comments"].size(), 9u);
  EXPECT_FALSE(d["questions"][0]["asker"].contains("phone"));
  EXPECT_FALSE(d["tickets"][0]["ratings"][0].contains("rater"));
}

// Every format lists the same questions (ids), and vtt exactly those on air.
TEST(followup_writers, formats_agree) {
  const Transcript t = testing::demo_transcript();
  std::set<int64_t> ids, fu_ids, aired;
  for (const auto& q : t.questions) {
    ids.insert(q.id);
    if (!q.on_air.empty()) aired.insert(q.id);
    for (const auto& f : q.follow_ups) {
      fu_ids.insert(f.id);
      if (!f.on_air.empty()) aired.insert(f.id);
    }
  }
  const auto j = nlohmann::json::parse(write_json(t, {}));
  std::set<int64_t> jq, jf;
  for (const auto& q : j["questions"]) {
    jq.insert(q["id"].get<int64_t>());
    for (const auto& f : q["follow_ups"]) jf.insert(f["id"].get<int64_t>());
  }
  EXPECT_EQ(jq, ids);
  EXPECT_EQ(jf, fu_ids);

  const auto rows = parse_csv(write_csv(t, {}).substr(3));
  std::set<int64_t> cq;
  for (size_t i = 1; i < rows.size(); ++i) cq.insert(std::stoll(rows[i][0]));
  EXPECT_EQ(cq, ids);

  auto grab = [](const std::string& s, const std::regex& re) {
    std::set<int64_t> out;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
      out.insert(std::stoll((*it)[1]));
    return out;
  };
  const std::string md = write_markdown(t, {});
  EXPECT_EQ(grab(md, std::regex(R"(\n#### #(\d+) )")), ids);
  EXPECT_EQ(grab(md, std::regex(R"(\*\*追问 #(\d+)\*\*)")), fu_ids);
  const std::string html = write_html(t, {});
  EXPECT_EQ(grab(html, std::regex(R"re(<div class="q" id="q(\d+)">)re")), ids);
  EXPECT_EQ(grab(html, std::regex(R"re(<div class="q fu" id="q(\d+)">)re")), fu_ids);
  EXPECT_EQ(grab(write_vtt(t, {}), std::regex(R"(\nq(\d+)(?:-\d+)?\n)")), aired);
}

}  // namespace
}  // namespace forumcast::followup

namespace forumcast::followup {
namespace {

// A forum with nothing in it still exports a well-formed document in every format.
TEST(followup_writers, empty_forum_exports_everywhere) {
  Transcript t;
  t.forum.id = "F0EMPTY000";
  t.forum.title = "空论坛";
  for (Format f :
       {Format::json, Format::csv, Format::xlsx, Format::md, Format::html, Format::vtt}) {
    auto r = export_transcript(t, f, {});
    ASSERT_TRUE(r.ok()) << to_string(f);
    EXPECT_FALSE(r.value().empty()) << to_string(f);
  }
  const auto j = nlohmann::json::parse(write_json(t, {}));
  EXPECT_TRUE(j["questions"].empty());
  EXPECT_TRUE(j["figures"]["forum"]["median_resolve_ms"].is_null());
  EXPECT_EQ(parse_csv(write_csv(t, {}).substr(3)).size(), 1u);  // header only
  EXPECT_EQ(write_vtt(t, {}), "WEBVTT - 空论坛\n\n");
}

}  // namespace
}  // namespace forumcast::followup
