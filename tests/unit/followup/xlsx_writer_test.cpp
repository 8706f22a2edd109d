// tests/unit/followup/xlsx_writer_test.cpp: the xlsx export opens as a zip with
// the five sheets, and the sheet XML (read with `unzip -p`) holds the expected
// cells: Chinese text, quotes, commas and newlines intact, numbers as numbers,
// the figures in Summary, and the privacy rules.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "demo_transcript.hpp"
#include "followup/writers.hpp"
#include "test_helpers.hpp"

namespace forumcast::followup {
namespace {

namespace fs = std::filesystem;
using testing::run;
using testing::sheet_cells;
using testing::Table;

class followup_xlsx : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("followup-xlsx-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes the export through write_xlsx (bytes) and returns the saved path.
  std::string save(const Transcript& t, ExportOptions o = {}) {
    o.tmp_dir = dir_.string();
    auto bytes = write_xlsx(t, o);
    EXPECT_TRUE(bytes.ok()) << (bytes.ok() ? "" : bytes.error().message);
    const std::string path = (dir_ / "export.xlsx").string();
    std::ofstream(path, std::ios::binary) << bytes.value();
    return path;
  }
  static std::string part(const std::string& xlsx, const std::string& name) {
    return run("unzip -p '" + xlsx + "' '" + name + "' 2>/dev/null");
  }
  static Table sheet(const std::string& xlsx, int n) {
    return sheet_cells(part(xlsx, "xl/worksheets/sheet" + std::to_string(n) + ".xml"));
  }

  fs::path dir_;
};

TEST_F(followup_xlsx, opens_with_five_sheets_and_the_cells) {
  Transcript t = testing::demo_transcript();
  const std::string tricky = "他说:\"能不能, 快点修?\"\n第二行 & <b>";
  t.questions[0].text = tricky;
  const std::string x = save(t);
  EXPECT_EQ(part(x, "\\[Content_Types\\].xml").empty(), false);
  const std::string wb = part(x, "xl/workbook.xml");
  size_t at = 0;
  for (const char* name : {"Questions", "Follow-ups", "Comments", "Tickets", "Summary"}) {
    const size_t p = wb.find(std::string("name=\"") + name + "\"");
    ASSERT_NE(p, std::string::npos) << name;
    EXPECT_GE(p, at) << name << " out of order";
    at = p;
  }
  const Table q = sheet(x, 1);
  ASSERT_EQ(q.size(), 25u);
  EXPECT_EQ(q[0][0], "编号");
  EXPECT_EQ(q[1][0], "1");
  EXPECT_EQ(q[1][4], tricky);
  EXPECT_EQ(q[2][4], t.questions[1].text);
  EXPECT_EQ(q[2][1], "已答复");
  EXPECT_EQ(q[24][0], "24");

  const Table f = sheet(x, 2);
  ASSERT_EQ(f.size(), 4u);  // header + 3 follow-ups
  EXPECT_EQ(f[0][1], "所属问题");
  EXPECT_EQ(f[1][0], "25");
  EXPECT_EQ(f[1][1], "2");
  EXPECT_EQ(f[1][5], "如果换防滑砖,施工要多久?期间老人从哪里走?");

  const Table c = sheet(x, 3);
  ASSERT_EQ(c.size(), 10u);  // header + 9 visible comments
  EXPECT_EQ(c[9][6], "Thanks for streaming this, I live in 桂香里 too");

  const Table tk = sheet(x, 4);
  ASSERT_EQ(tk.size(), 9u);
  EXPECT_EQ(tk[0][2], "标题");
  EXPECT_EQ(tk[3][0], "3");
  EXPECT_EQ(tk[3][8], "已办结");
  EXPECT_EQ(tk[3][14], "480");  // hours to resolve, a number cell
  EXPECT_EQ(tk[1][7], "物业服务中心、社区居委会");

  const Table s = sheet(x, 5);
  ASSERT_EQ(s.size(), 8u);  // header + forum + 6 compounds
  EXPECT_EQ(s[0][1], "提问数");
  EXPECT_EQ(s[1][0], "全部");
  EXPECT_EQ(s[1][1], "24");
  EXPECT_EQ(s[1][2], "20");
  EXPECT_EQ(s[1][3], "11");
  EXPECT_EQ(s[1][12], "72");
  EXPECT_EQ(s[1][14], "3.5");
  EXPECT_EQ(s[1][15], "0.8");
}

TEST_F(followup_xlsx, privacy_and_english_headings) {
  const Transcript t = testing::demo_transcript();
  const std::string phone = t.questions[0].asker.phone;
  std::string all;
  {
    const std::string x = save(t);
    for (int n = 1; n <= 5; ++n) all += part(x, "xl/worksheets/sheet" + std::to_string(n) + ".xml");
    EXPECT_EQ(all.find(phone), std::string::npos);
    EXPECT_EQ(all.find("dev-"), std::string::npos);
    EXPECT_EQ(all.find("加微信领红包"), std::string::npos);
  }
  ExportOptions o;
  o.include_contacts = true;
  o.include_hidden_comments = true;
  o.lang = Lang::en;
  const std::string x = save(t, o);
  const Table q = sheet(x, 1);
  EXPECT_EQ(q[0][0], "ID");
  EXPECT_EQ(q[0][11], "Phone");
  EXPECT_EQ(q[1][11], phone);
  const Table c = sheet(x, 3);
  ASSERT_EQ(c.size(), 11u);
  EXPECT_EQ(c[10][8], "加微信领红包,广告");
  EXPECT_EQ(c[10][9], "yes");
}

TEST_F(followup_xlsx, writes_to_a_path_and_reports_failure) {
  const std::string path = (dir_ / "direct.xlsx").string();
  ExportOptions o;
  o.tmp_dir = dir_.string();
  ASSERT_TRUE(write_xlsx_file(testing::demo_transcript(), o, path).ok());
  EXPECT_EQ(sheet(path, 1).size(), 25u);
  auto bad = write_xlsx_file(testing::demo_transcript(), o, (dir_ / "no/such/dir/x.xlsx").string());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "xlsx_failed");
  o.tmp_dir = (dir_ / "missing").string();
  auto r = write_xlsx(testing::demo_transcript(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "xlsx_failed");
}

}  // namespace
}  // namespace forumcast::followup

namespace forumcast::followup {
namespace {

TEST_F(followup_xlsx, oversized_cells_are_cut_at_excels_limit) {
  Transcript t = testing::demo_transcript();
  std::string huge;
  for (int i = 0; i < 40'000; ++i) huge += "长";
  t.questions[0].text = huge + "\x01";  // also an XML-illegal control character
  const Table q = sheet(save(t), 1);
  ASSERT_GE(q.size(), 2u);
  EXPECT_EQ(q[1][4].size(), 32'767u * 3);  // 32,767 characters of 3 bytes
  EXPECT_EQ(q[1][4].substr(0, 6), "长长");
}

}  // namespace
}  // namespace forumcast::followup

namespace forumcast::followup {
namespace {

// The xlsx lists the same questions, follow-ups, comments and tickets as the JSON.
TEST_F(followup_xlsx, agrees_with_the_records) {
  const Transcript t = testing::demo_transcript();
  const std::string path = save(t);
  auto ids = [](const Table& rows) {
    std::vector<std::string> out;
    for (size_t i = 1; i < rows.size(); ++i) out.push_back(rows[i][0]);
    return out;
  };
  std::vector<std::string> q, f, c, k;
  for (const auto& x : t.questions) {
    q.push_back(std::to_string(x.id));
    for (const auto& y : x.follow_ups) f.push_back(std::to_string(y.id));
  }
  for (const auto& x : t.comments)
    if (!x.hidden) c.push_back(std::to_string(x.id));
  for (const auto& x : t.tickets) k.push_back(std::to_string(x.id));
  EXPECT_EQ(ids(sheet(path, 1)), q);
  EXPECT_EQ(ids(sheet(path, 2)), f);
  EXPECT_EQ(ids(sheet(path, 3)), c);
  EXPECT_EQ(ids(sheet(path, 4)), k);
}

}  // namespace
}  // namespace forumcast::followup
