/**
 * The delivery log's Lua scripts (see DeliveryLog for the keys): each is one round trip, and
 * every change of a delivery's owner happens inside one of them, so it is atomic with the
 * ordering set it depends on.
 */

/** Shared by the scripts: gives a delivery to a job ('' = waiting behind its head), the head of an ordering set. */
const LUA_OWNERSHIP = `
local function own(ownKey, jobPrefix, id, owner, ttl)
  redis.call('SET', ownKey, owner, 'EX', ttl)
  if owner ~= '' then
    redis.call('SADD', jobPrefix .. owner, id)
    redis.call('EXPIRE', jobPrefix .. owner, ttl)
  end
  return owner
end
local function first(ordKey)
  return redis.call('ZRANGE', ordKey, 0, 0)[1]
end
`;

/**
 * Creates the record, enters it into the list and the ordering set, and gives it to the
 * proposed job ARGV[5] when it is the head of its set (else it waits: owner ''), only if it
 * does not exist yet: a re-dispatch after a crash must neither reset a record nor put a
 * finished delivery back at the head of its ordering set. An existing pending record keeps its
 * owner (the dispatcher makes sure that job exists); one that waits, yet is the head, is given
 * to the proposed job. Returns {status ('created' or the stored one), owner or false,
 * next_attempt_at or false}.
 */
export const CREATE_SCRIPT = `${LUA_OWNERSHIP}
local id, ttl = ARGV[3], ARGV[4]
local function isHead()
  if KEYS[3] == '' then return true end
  local head = first(KEYS[3])
  return (not head) or head == id
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ttl) then
  redis.call('ZADD', KEYS[2], ARGV[2], id)
  if KEYS[3] ~= '' then redis.call('ZADD', KEYS[3], ARGV[2], id) end
  if isHead() then return {'created', own(KEYS[4], ARGV[6], id, ARGV[5], ttl), false} end
  own(KEYS[4], ARGV[6], id, '', ttl)
  return {'created', false, false}
end
local record = cjson.decode(redis.call('GET', KEYS[1]))
if record['status'] ~= 'pending' then return {record['status'], false, false} end
local owner = redis.call('GET', KEYS[4])
-- Queued before jobs owned deliveries: its job was named after it.
if not owner then owner = own(KEYS[4], ARGV[6], id, id, ttl) end
if owner == '' then
  if not isHead() then return {'pending', false, false} end
  owner = own(KEYS[4], ARGV[6], id, ARGV[5], ttl)
end
local nextAt = record['next_attempt_at']
if type(nextAt) ~= 'string' then nextAt = false end
return {'pending', owner, nextAt}
`;

/**
 * What a job finds when it starts (KEYS[1]: its set; ARGV[1]: its id; ARGV[2]: the delivery
 * of a job queued before jobs owned sets, or ''), four values per delivery:
 *   id, 'due', record JSON        pending, owned by the job, first in line: to attempt;
 *   id, 'settled', record JSON    finished, yet still in its ordering set (a worker died in
 *                                 between): to release, which hands the next one over;
 *   id, 'handed', owner, next_attempt_at   pending and handed to another job.
 * An owned delivery that is not first in line (a job queued before jobs owned sets) is left
 * waiting ('') for its head to hand it over; everything else is not the job's business.
 */
export const BEGIN_SCRIPT = `${LUA_OWNERSHIP}
local job, ttl = ARGV[1], ARGV[7]
local ids = redis.call('SMEMBERS', KEYS[1])
if ARGV[2] ~= '' then table.insert(ids, ARGV[2]) end
local out, seen = {}, {}
for _, id in ipairs(ids) do
  local raw = (not seen[id]) and redis.call('GET', ARGV[3] .. id)
  seen[id] = true
  if raw then
    local record = cjson.decode(raw)
    local ownKey = ARGV[4] .. id
    local owner = redis.call('GET', ownKey)
    local key = record['ordering_key']
    local ordKey = type(key) == 'string' and (ARGV[5] .. key) or nil
    local queued = ordKey and redis.call('ZSCORE', ordKey, id)
    if record['status'] ~= 'pending' then
      if queued and (owner == job or (not owner and id == job)) then
        table.insert(out, id); table.insert(out, 'settled'); table.insert(out, raw); table.insert(out, false)
      end
    else
      if not owner then owner = own(ownKey, ARGV[6], id, id, ttl) end
      if owner == job then
        if queued and first(ordKey) ~= id then
          own(ownKey, ARGV[6], id, '', ttl)
        else
          table.insert(out, id); table.insert(out, 'due'); table.insert(out, raw); table.insert(out, false)
        end
      elseif owner ~= '' then
        local nextAt = record['next_attempt_at']
        if type(nextAt) ~= 'string' then nextAt = false end
        table.insert(out, id); table.insert(out, 'handed'); table.insert(out, owner); table.insert(out, nextAt)
      end
    end
  end
end
return out
`;

/**
 * Saves the record (unless ARGV[1] is empty), then either hands the delivery to job ARGV[4]
 * (a retry, a pause, a manual retry) or, with ARGV[4] = '', settles it: it leaves its
 * ordering set, and the next one there, when it waits for a job, is given to job ARGV[5] and
 * returned with its record ({id, JSON}); one queued before jobs owned deliveries is returned
 * as {id, false}, for its own job to be woken. With ARGV[6] = '1' (the job's last delivery)
 * and nothing handed over, the job's set is deleted.
 */
export const FINISH_SCRIPT = `${LUA_OWNERSHIP}
local id, ttl, job = ARGV[3], ARGV[2], ARGV[5]
if ARGV[1] ~= '' then redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl) end
if ARGV[4] ~= '' then
  own(KEYS[3], ARGV[9], id, ARGV[4], ttl)
  return false
end
redis.call('DEL', KEYS[3])
local result = false
if KEYS[2] ~= '' then
  redis.call('ZREM', KEYS[2], id)
  local nextId = first(KEYS[2])
  if nextId then
    local nextOwnKey = ARGV[8] .. nextId
    local owner = redis.call('GET', nextOwnKey)
    if owner == '' then
      own(nextOwnKey, ARGV[9], nextId, job, ttl)
      return {nextId, redis.call('GET', ARGV[7] .. nextId)}
    elseif not owner then
      result = {nextId, false}
    end
  end
end
if ARGV[6] == '1' then redis.call('DEL', ARGV[9] .. job) end
return result
`;
