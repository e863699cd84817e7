/**
 * The attach script: lookup, create-or-merge and index in one Redis call, so concurrent
 * analyze workers attaching copies of one story cannot create two stories.
 * Candidate story hashes are read by name (not passed as KEYS): fine on a single Redis,
 * not on Redis Cluster.
 *
 * KEYS: 1 url index, 2 title index, 3 this item's own story hash, 4.. band zsets
 * ARGV: 1 prefix, 2 new story id, 3 simhash hex ('' = none), 4 window ms, 5 now ms, 6 now ISO,
 *       7 max distance, 8 title, 9 url, 10 source id, 11 item id, 12 reporter, 13 decision,
 *       14 severity, 15 has url '1', 16 has title '1', 17 story TTL ms
 * Returns { isNew, matchedBy, story id, flat HGETALL }.
 */
export const ATTACH_SCRIPT = `
local prefix, newId, hash = ARGV[1], ARGV[2], ARGV[3]
local window, now, nowIso = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local maxD, storyTtl = tonumber(ARGV[7]), tonumber(ARGV[17])
local function skey(id) return prefix .. ':story:' .. id end
local function live(id)
  if not id then return false end
  local last = redis.call('HGET', skey(id), 'lastSeenMs')
  return last ~= false and now - tonumber(last) <= window
end
local function popcount16(x)
  local c = 0
  while x > 0 do x = bit.band(x, x - 1); c = c + 1 end
  return c
end
local function hamming(a, b)
  local d = 0
  for i = 1, 16, 4 do
    d = d + popcount16(bit.bxor(tonumber(string.sub(a, i, i + 3), 16), tonumber(string.sub(b, i, i + 3), 16)))
  end
  return d
end
local rank = { ignore = 0, review = 1, alert = 2, low = 0, medium = 1, high = 2, critical = 3 }

local found, by
if redis.call('EXISTS', KEYS[3]) == 1 then found = newId; by = 'item' end
if not found and ARGV[15] == '1' then
  local id = redis.call('GET', KEYS[1])
  if live(id) then found = id; by = 'url' end
end
if not found and ARGV[16] == '1' then
  local id = redis.call('GET', KEYS[2])
  if live(id) then found = id; by = 'title' end
end
if not found and hash ~= '' then
  local best, bestD, checked = nil, maxD + 1, {}
  for i = 4, #KEYS do
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], now - window, '+inf')) do
      if not checked[id] then
        checked[id] = true
        local hashes = redis.call('HGET', skey(id), 'simhashes')
        if hashes and live(id) then
          for h in string.gmatch(hashes, '%x+') do
            local d = hamming(h, hash)
            if d < bestD then best = id; bestD = d end
          end
        end
      end
    end
  end
  if best then found = best; by = 'simhash' end
end

local id, isNew = found, 0
if not id then
  id, isNew = newId, 1
  redis.call('HSET', skey(id), 'id', id, 'title', ARGV[8], 'firstSourceId', ARGV[10], 'firstItemId', ARGV[11],
    'reporters', cjson.encode({ ARGV[12] }), 'decision', ARGV[13], 'severity', ARGV[14],
    'createdAt', nowIso, 'updatedAt', nowIso, 'lastSeenMs', now, 'simhashes', hash)
  if ARGV[9] ~= '' then redis.call('HSET', skey(id), 'url', ARGV[9]) end
else
  local k = skey(id)
  local reporters = cjson.decode(redis.call('HGET', k, 'reporters'))
  local known = false
  for _, r in ipairs(reporters) do if string.lower(r) == string.lower(ARGV[12]) then known = true end end
  if not known then table.insert(reporters, ARGV[12]); redis.call('HSET', k, 'reporters', cjson.encode(reporters)) end
  local cur = redis.call('HMGET', k, 'decision', 'severity', 'url', 'lastSeenMs', 'simhashes')
  if rank[ARGV[13]] > (rank[cur[1]] or 0) then redis.call('HSET', k, 'decision', ARGV[13]) end
  if rank[ARGV[14]] > (rank[cur[2]] or 0) then redis.call('HSET', k, 'severity', ARGV[14]) end
  if not cur[3] and ARGV[9] ~= '' then redis.call('HSET', k, 'url', ARGV[9]) end
  if now > tonumber(cur[4] or 0) then redis.call('HSET', k, 'lastSeenMs', now) end
  -- Each copy's hash joins the story (capped), so later copies may match any variant.
  local hashes = cur[5] or ''
  if hash ~= '' and not string.find(hashes, hash, 1, true) and #hashes < 16 * 17 * 20 then
    redis.call('HSET', k, 'simhashes', (hashes == '' and hash) or (hashes .. ' ' .. hash))
  end
  redis.call('HSET', k, 'updatedAt', nowIso)
end
redis.call('PEXPIRE', skey(id), storyTtl)

local function claimIndex(key)
  local cur = redis.call('GET', key)
  if not cur or cur == id or not live(cur) then redis.call('SET', key, id, 'PX', window) end
end
if ARGV[15] == '1' then claimIndex(KEYS[1]) end
if ARGV[16] == '1' then claimIndex(KEYS[2]) end
if hash ~= '' then
  for i = 4, #KEYS do
    redis.call('ZADD', KEYS[i], now, id)
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window - 1)
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
return { isNew, by or '', id, redis.call('HGETALL', skey(id)) }
`;
