-- wrk script of bench/api_bench.sh: each request is a random line of the file
-- named by API_BENCH_PATHS (a request path with its query), sent with the
-- Authorization header in API_BENCH_AUTH. One file of pre-made paths serves
-- both the key lookups (random keys) and the search pages (page tokens
-- collected by walking the pages once), so wrk itself parses no responses.
local paths = {}
local auth = os.getenv("API_BENCH_AUTH") or ""

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(tonumber(seed or 1) + os.time())
  local name = os.getenv("API_BENCH_PATHS")
  local file = assert(io.open(name, "r"), "API_BENCH_PATHS: cannot open " .. tostring(name))
  for line in file:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "API_BENCH_PATHS: no paths in " .. name)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], { ["Authorization"] = auth })
end
