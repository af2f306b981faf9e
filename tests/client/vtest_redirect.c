/* vtest_redirect.c: LD_PRELOAD shim for the client tests. Mesa 22.3's vtest
 * client connects only to /tmp/.virgl_test; this rewrites that one path to
 * $TESSERA_VTEST_SOCKET so a test can run a private server. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
   static int (*real_connect)(int, const struct sockaddr *, socklen_t);
   if (!real_connect)
      real_connect = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
   const char *to = getenv("TESSERA_VTEST_SOCKET");
   if (to && addr && addr->sa_family == AF_UNIX && len >= sizeof(sa_family_t)) {
      const struct sockaddr_un *un = (const struct sockaddr_un *)(const void *)addr;
      if (!strcmp(un->sun_path, "/tmp/.virgl_test") && strlen(to) < sizeof(un->sun_path)) {
         struct sockaddr_un re;
         memset(&re, 0, sizeof(re));
         re.sun_family = AF_UNIX;
         strcpy(re.sun_path, to);
         return real_connect(fd, (const struct sockaddr *)&re, sizeof(re));
      }
   }
   return real_connect(fd, addr, len);
}
