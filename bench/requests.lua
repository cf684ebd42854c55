-- wrk script: replay a file of requests and print the figures as one JSON line.
--
--   wrk -t2 -c10 -d10s -s bench/requests.lua http://127.0.0.1:8000 -- FILE THREADS
--
-- FILE has one request per line: METHOD <tab> PATH <tab> BEARER TOKEN <tab> JSON BODY
-- (token and body may be empty). Thread k of THREADS takes lines k, k+THREADS, ... so
-- that no two threads send the same request (with fewer lines than threads, every thread
-- takes them all); each thread starts again at its first line when it has sent all of
-- its own (the harness writes enough lines for write paths that this does not happen,
-- and reports it if it does).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  queue, position, laps = {}, 0, 0
  local lines = {}
  for line in io.lines(file) do table.insert(lines, line) end
  if #lines < count then count, id = 1, 0 end
  for line_number, line in ipairs(lines) do
    if (line_number - 1) % count == id then
      local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      if token ~= "" then headers["Authorization"] = "Bearer " .. token end
      if body == "" then
        body = nil
      else
        headers["Content-Type"] = "application/json"
      end
      table.insert(queue, wrk.format(method, path, headers, body))
    end
  end
  if #queue == 0 then error("no requests for thread " .. id .. " in " .. file) end
end

function request()
  position = position + 1
  if position > #queue then
    position, laps = 1, laps + 1
  end
  return queue[position]
end

function done(summary, latency, requests)
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + (thread:get("laps") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "non_2xx_3xx": %d, "laps": %d, "latency_us": ' ..
    '{"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    wrapped, latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
