// The fields the cache keeps since its migration 5, as the simulator
// generates and renders them, and the comment endpoint that pages what a
// search leaves out of fields.comment.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/jirasim/it/json_shape.hpp"
#include "tests/jirasim/it/sim_test_support.hpp"

namespace jirasim::testing {
namespace {

namespace http = boost::beast::http;

rapidjson::Document all_fields(RunningSim& sim, const std::string& project) {
  HttpResult r = sim.client.get("/rest/api/3/search/jql?maxResults=5000&fields=*all&jql=" +
                                url_escape("project = " + project + " ORDER BY key ASC"));
  EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
  return parse_json(r.body);
}

// The 200 example of GET (path) in Atlassian's spec, or a null document.
rapidjson::Document spec_example(const char* path) {
  rapidjson::Document out;
  if (!std::filesystem::exists(JIRASIM_SPEC_FILE)) return out;
  std::ifstream in(JIRASIM_SPEC_FILE);
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document spec;
  spec.Parse(ss.str().c_str());
  const auto& ex =
      spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["example"];
  out.Parse(ex.GetString());
  return out;
}

std::string joined(const std::vector<std::string>& diffs) {
  std::string all;
  for (const auto& d : diffs) all += "\n  " + d;
  return all;
}

TEST(MoreFields, GeneratedIssuesCarryEveryNewFieldAsTheSpecShapesIt) {
  RunningSim sim({"--projects", "WRKA:250"});
  auto page = all_fields(sim, "WRKA");
  const auto issue_example = spec_example("/rest/api/3/issue/{issueIdOrKey}");
  std::set<std::string> seen;
  for (const auto& issue : page["issues"].GetArray()) {
    const auto& f = issue["fields"];
    for (const char* name : {"duedate", "versions", "environment", "issuelinks", "subtasks",
                             "attachment", "timetracking", "timeoriginalestimate", "timeestimate",
                             "timespent", "creator", "comment"}) {
      ASSERT_TRUE(f.HasMember(name)) << name << " missing on " << issue["key"].GetString();
    }
    if (f["duedate"].IsString()) {
      seen.insert("duedate");
      EXPECT_EQ(f["duedate"].GetStringLength(), 10u);
    }
    if (f["versions"].Size() > 0) seen.insert("versions");
    if (f["environment"].IsObject()) {
      seen.insert("environment");
      EXPECT_STREQ(f["environment"]["type"].GetString(), "doc");
    }
    for (const auto& link : f["issuelinks"].GetArray()) {
      seen.insert(link.HasMember("outwardIssue") ? "outward link" : "inward link");
      EXPECT_NE(link.HasMember("outwardIssue"), link.HasMember("inwardIssue"));
      if (issue_example.IsObject()) {
        const auto& ex = issue_example["fields"]["issuelinks"][0];
        const char* side = link.HasMember("outwardIssue") ? "outwardIssue" : "inwardIssue";
        EXPECT_EQ(joined(shape_differences(ex["type"], link["type"])), "");
        EXPECT_EQ(joined(shape_differences(issue_example["fields"]["issuelinks"][0]["outwardIssue"],
                                           link[side])),
                  "");
      }
    }
    if (f["subtasks"].Size() > 0) {
      seen.insert("subtasks");
      EXPECT_TRUE(f["subtasks"][0]["key"].IsString());
      EXPECT_TRUE(f["subtasks"][0]["fields"]["status"].IsObject());
    }
    for (const auto& a : f["attachment"].GetArray()) {
      seen.insert("attachment");
      if (issue_example.IsObject()) {
        ShapeRules rules;
        rules.optional = {"key", "name", "thumbnail"};  // absent in Cloud for privacy / non-images
        EXPECT_EQ(joined(shape_differences(issue_example["fields"]["attachment"][0], a, rules)),
                  "");
      }
    }
    if (f["timetracking"].HasMember("originalEstimateSeconds")) {
      seen.insert("timetracking");
      EXPECT_EQ(f["timetracking"]["originalEstimateSeconds"].GetInt64(),
                f["timeoriginalestimate"].GetInt64());
    } else {
      EXPECT_TRUE(f["timeoriginalestimate"].IsNull());
    }
    const auto& comment = f["comment"];
    EXPECT_LE(comment["comments"].Size(), 20u);
    EXPECT_EQ(comment["maxResults"].GetInt(), static_cast<int>(comment["comments"].Size()));
    if (comment["total"].GetInt() > 0) seen.insert("comments");
    if (comment["total"].GetInt() > 20) seen.insert("more comments than inline");
  }
  for (const char* what :
       {"duedate", "versions", "environment", "outward link", "inward link", "subtasks",
        "attachment", "timetracking", "comments", "more comments than inline"}) {
    EXPECT_TRUE(seen.count(what)) << "no generated issue has " << what;
  }
}

TEST(MoreFields, ALinkShowsOnBothIssuesTheOtherWayRound) {
  RunningSim sim({"--projects", "WRKA:250"});
  auto page = all_fields(sim, "WRKA");
  int checked = 0;
  for (const auto& issue : page["issues"].GetArray()) {
    for (const auto& link : issue["fields"]["issuelinks"].GetArray()) {
      const bool outward = link.HasMember("outwardIssue");
      const auto& other = link[outward ? "outwardIssue" : "inwardIssue"];
      auto back = parse_json(sim.client
                                 .get(std::string("/rest/api/3/issue/") + other["key"].GetString() +
                                      "?fields=issuelinks")
                                 .body);
      bool found = false;
      for (const auto& l : back["fields"]["issuelinks"].GetArray()) {
        if (std::string(l["id"].GetString()) != link["id"].GetString()) continue;
        found = true;
        const char* reverse = outward ? "inwardIssue" : "outwardIssue";
        ASSERT_TRUE(l.HasMember(reverse));
        EXPECT_STREQ(l[reverse]["id"].GetString(), issue["id"].GetString());
      }
      EXPECT_TRUE(found) << "link " << link["id"].GetString() << " missing on "
                         << other["key"].GetString();
      if (++checked == 10) return;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(CommentEndpoint, PagesEveryCommentASearchLeavesOut) {
  RunningSim sim({"--projects", "WRKA:20"});
  sim.control("/__sim/issues/WRKA-3", "{\"commentCount\":120}", http::verb::put);

  auto search = parse_json(
      sim.client.get("/rest/api/3/search/jql?fields=comment&jql=" + url_escape("key = WRKA-3"))
          .body);
  const auto& inline_page = search["issues"][0]["fields"]["comment"];
  EXPECT_EQ(inline_page["comments"].Size(), 20u);
  EXPECT_EQ(inline_page["total"].GetInt(), 120);
  EXPECT_EQ(inline_page["maxResults"].GetInt(), 20);
  EXPECT_EQ(inline_page["startAt"].GetInt(), 0);

  std::vector<std::string> ids;
  for (int start = 0;; start += 50) {
    HttpResult r = sim.client.get("/rest/api/3/issue/WRKA-3/comment?maxResults=50&startAt=" +
                                  std::to_string(start));
    ASSERT_EQ(r.status, 200) << r.body;
    auto page = parse_json(r.body);
    EXPECT_EQ(page["total"].GetInt(), 120);
    EXPECT_EQ(page["startAt"].GetInt(), start);
    EXPECT_EQ(page["maxResults"].GetInt(), 50);
    for (const auto& c : page["comments"].GetArray()) ids.emplace_back(c["id"].GetString());
    if (page["comments"].Size() < 50) break;
  }
  ASSERT_EQ(ids.size(), 120u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 120u);
  // The inline ones are the oldest: the first page's.
  EXPECT_STREQ(inline_page["comments"][19]["id"].GetString(), ids[19].c_str());
  // By id or key; newest first on request; maxResults capped at 100.
  auto by_id = parse_json(sim.client
                              .get(std::string("/rest/api/3/issue/") +
                                   search["issues"][0]["id"].GetString() +
                                   "/comment?orderBy=-created&maxResults=1000")
                              .body);
  EXPECT_EQ(by_id["maxResults"].GetInt(), 100);
  EXPECT_EQ(by_id["comments"].Size(), 100u);
  EXPECT_STREQ(by_id["comments"][0]["id"].GetString(), ids.back().c_str());
  // Past the end: an empty page, not an error.
  auto past = parse_json(sim.client.get("/rest/api/3/issue/WRKA-3/comment?startAt=500").body);
  EXPECT_EQ(past["comments"].Size(), 0u);
  EXPECT_EQ(past["total"].GetInt(), 120);

  EXPECT_EQ(sim.client.get("/rest/api/3/issue/WRKA-3/comment?startAt=-1").status, 400);
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/WRKA-3/comment?maxResults=x").status, 400);
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/WRKA-3/comment?orderBy=author").status, 400);
  EXPECT_EQ(sim.client.get("/rest/api/3/issue/NOPE-1/comment").status, 404);

  // Counted under its own endpoint, like every other request.
  EXPECT_NE(
      sim.client.get("/__sim/counters").body.find("GET /rest/api/3/issue/{issueIdOrKey}/comment"),
      std::string::npos);
}

TEST(CommentEndpoint, HasTheSpecExamplesShape) {
  const auto example = spec_example("/rest/api/3/issue/{issueIdOrKey}/comment");
  ASSERT_TRUE(example.IsObject()) << "spec file " << JIRASIM_SPEC_FILE << " not present";
  RunningSim sim({"--projects", "WRKA:5"});
  sim.control("/__sim/issues/WRKA-2", "{\"commentCount\":3}", http::verb::put);
  auto page = parse_json(sim.client.get("/rest/api/3/issue/WRKA-2/comment").body);
  ShapeRules rules;
  rules.optional = {"visibility"};  // only on restricted comments
  EXPECT_EQ(joined(shape_differences(example, page, rules)), "");
}

}  // namespace
}  // namespace jirasim::testing
