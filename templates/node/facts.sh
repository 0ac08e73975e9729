# Harbor HA Deployer: what a node has, one "key=value" line each. Runs with sh; changes nothing.
# Arguments: the directories whose free space matters (the nearest existing parent is measured).
[ -r /etc/os-release ] && . /etc/os-release
echo "os=${PRETTY_NAME:-unknown}"
echo "os_id=${ID:-} ${ID_LIKE:-}"
echo "kernel=$(uname -r 2>/dev/null)"
# run under templates/node/utf8.sh: the UTF-8 locale Harbor's scripts will get (empty or not UTF-8: the node has none)
echo "locale=${LC_ALL:-${LANG:-}}"
echo "addresses=$(hostname -I 2>/dev/null)"
if command -v docker >/dev/null 2>&1; then
  echo "docker=$(docker --version 2>&1 | head -n 1)"
  echo "compose_plugin=$(docker compose version 2>/dev/null | head -n 1)"
else
  echo "docker="
  echo "compose_plugin="
fi
if command -v docker-compose >/dev/null 2>&1; then
  echo "compose=$(docker-compose --version 2>&1 | tr '\n' ' ')"
else
  echo "compose="
fi
if [ -x /usr/bin/python ]; then
  echo "python=$(/usr/bin/python --version 2>&1 | head -n 1)"
else
  echo "python="
fi
echo "openssl=$(command -v openssl 2>/dev/null)"
echo "yum=$(command -v yum 2>/dev/null)"
echo "apt=$(command -v apt-get 2>/dev/null)"
echo "iptables=$(command -v iptables 2>/dev/null)"
for dir in "$@"; do
  d=$dir
  while [ ! -d "$d" ] && [ "$d" != / ]; do d=$(dirname "$d"); done
  echo "disk:$dir=$(df -Pk "$d" 2>/dev/null | awk 'NR==2 {print $4}')"
done
