# The lab's stand-in for running an image it can run (Harbor's prepare image): a private mount namespace whose root
# is a tmpfs holding this machine's /usr, /etc and libraries, the image's application folder at /usr/src/app, and the
# run's bind mounts at their container paths; then COMMAND in /usr/src/app with the image's LANG=en_US.UTF-8.
# Run as root inside `unshare --mount --propagation private`, so nothing mounted here is seen outside.
#   container.sh APPDIR [HOSTPATH CONTAINERPATH ro|rw]... -- COMMAND [ARG]...
# The root is made under $LAB_CONTAINER_PARENT (default /tmp).
set -e
app=$1
shift
root=$(mktemp -d "${LAB_CONTAINER_PARENT:-/tmp}/.lab-container-XXXXXX")
mount -t tmpfs -o mode=0755 tmpfs "$root"
for d in usr etc bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$d" ]; then
    ln -s "$(readlink "/$d")" "$root/$d"
  elif [ -d "/$d" ]; then
    mkdir "$root/$d" && mount --rbind "/$d" "$root/$d"
  fi
done
mkdir -p "$root/dev" "$root/proc" "$root/tmp" "$root/harbor_make"
mount --rbind /dev "$root/dev"
mount --rbind /proc "$root/proc"
mount -t tmpfs -o mode=0755 tmpfs "$root/usr/src"
mkdir "$root/usr/src/app"
mount --bind "$app" "$root/usr/src/app"
while [ "$1" != -- ]; do
  mkdir -p "$root$2"
  mount --rbind "$1" "$root$2"
  if [ "$3" = ro ]; then mount -o remount,bind,ro "$root$2"; fi
  shift 3
done
shift
cd "$root"
exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=en_US.UTF-8 HOME=/root \
  sh -c 'cd /usr/src/app && exec "$@"' container "$@"
