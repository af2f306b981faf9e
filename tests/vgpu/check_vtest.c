/* check_vtest.c: the vtest server at the byte level, no Mesa needed: the
 * handshake as Mesa 22.3 sends it, caps, shared-memory resources received as
 * fds, transfers, a submitted clear read back; hostile clients (random bytes,
 * absurd lengths, stray fds, disconnects mid-message) are dropped while a
 * well-behaved client on the same server keeps working. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check_util.h"
#include "jit/jit_format.h"
#include "jit/jit_pipe.h"
#include "vgpu/vgpu_capture.h"
#include "vgpu/vgpu_caps.h"
#include "vgpu/vgpu_encode.h"
#include "vgpu/vgpu_protocol.h"
#include "vgpu/vgpu_vtest.h"

static struct vgpu_vtest_options opts = { NULL, "gles2", 1, 0, NULL };
static volatile sig_atomic_t stop_server;
static char sock_path[108];

static void *server_main(void *arg)
{
   (void)arg;
   vgpu_vtest_serve(&opts, &stop_server);
   return NULL;
}

static pthread_t start_server(void)
{
   pthread_t t;
   snprintf(sock_path, sizeof(sock_path), "/tmp/tessera-vtest-%d.sock", (int)getpid());
   opts.socket_path = sock_path;
   stop_server = 0;
   ck_assert_int_eq(pthread_create(&t, NULL, server_main, NULL), 0);
   for (int i = 0; i < 100 && access(sock_path, F_OK) != 0; i++)
      usleep(10000);
   return t;
}

static int dial(void)
{
   int fd = socket(AF_UNIX, SOCK_STREAM, 0);
   struct sockaddr_un un;
   memset(&un, 0, sizeof(un));
   un.sun_family = AF_UNIX;
   strcpy(un.sun_path, sock_path);
   ck_assert_int_eq(connect(fd, (struct sockaddr *)&un, sizeof(un)), 0);
   return fd;
}

static void stop(pthread_t t)
{
   stop_server = 1;
   close(dial()); /* wake accept() */
   pthread_join(t, NULL);
}

static void put(int fd, const void *p, size_t n)
{
   ck_assert_int_eq(send(fd, p, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void get(int fd, void *p, size_t n)
{
   size_t got = 0;
   while (got < n) {
      ssize_t r = recv(fd, (char *)p + got, n - got, 0);
      ck_assert_int_gt(r, 0);
      got += (size_t)r;
   }
}

static void cmd(int fd, uint32_t id, const uint32_t *payload, uint32_t ndw)
{
   uint32_t h[2] = { ndw, id };
   put(fd, h, 8);
   if (ndw)
      put(fd, payload, (size_t)ndw * 4);
}

/* The handshake exactly as Mesa 22.3 sends it. */
static void handshake(int fd)
{
   uint32_t h[2] = { 5, 8 };
   put(fd, h, 8);
   put(fd, "test", 5);
   cmd(fd, 10, NULL, 0);                 /* PING_PROTOCOL_VERSION */
   uint32_t bw[2] = { 0, 0 };
   cmd(fd, 7, bw, 2);                    /* BUSY_WAIT probe */
   get(fd, h, 8);
   ck_assert(h[0] == 0 && h[1] == 10);
   uint32_t r[3];
   get(fd, r, 12);
   ck_assert(r[0] == 1 && r[1] == 7 && r[2] == 0);
   uint32_t v = 2;
   cmd(fd, 11, &v, 1);
   get(fd, r, 12);
   ck_assert(r[0] == 1 && r[1] == 11 && r[2] == 2);
   cmd(fd, 9, NULL, 0);                  /* GET_CAPS2 then GET_CAPS */
   cmd(fd, 1, NULL, 0);
   uint32_t caps[VGPU_CAPS_V1_SIZE / 4];
   get(fd, h, 8);
   ck_assert(h[0] == VGPU_CAPS_V1_SIZE + 1 && h[1] == 2);
   get(fd, caps, sizeof(caps));
   ck_assert_uint_eq(caps[66], 120); /* GLSL 1.20 */
   get(fd, h, 8);
   ck_assert(h[1] == 1);
   get(fd, caps, sizeof(caps));
}

static int recv_fd(int sock)
{
   char byte;
   struct iovec iov = { &byte, 1 };
   union {
      struct cmsghdr h;
      char buf[CMSG_SPACE(sizeof(int))];
   } u;
   struct msghdr msg;
   memset(&msg, 0, sizeof(msg));
   msg.msg_iov = &iov;
   msg.msg_iovlen = 1;
   msg.msg_control = u.buf;
   msg.msg_controllen = sizeof(u.buf);
   ck_assert_int_eq(recvmsg(sock, &msg, 0), 1);
   struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
   ck_assert_ptr_nonnull(cm);
   int fd;
   memcpy(&fd, CMSG_DATA(cm), sizeof(int));
   return fd;
}

/* Create an 8x8 RGBA8 render target with shared memory; returns the mapping. */
static uint8_t *create_target(int fd, uint32_t handle)
{
   uint32_t a[11] = { handle, PIPE_TEXTURE_2D, JIT_FORMAT_R8G8B8A8_UNORM, VGPU_BIND_RENDER_TARGET, 8, 8, 1, 1, 0, 0,
                      256 };
   cmd(fd, 12, a, 11);
   int mfd = recv_fd(fd);
   uint8_t *mem = mmap(NULL, 256, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
   ck_assert(mem != MAP_FAILED);
   close(mfd);
   return mem;
}

static uint8_t last_seen[256]; /* what the last good client read back */

/* A full session: upload, readback, a submitted clear. */
static void good_client(void)
{
   int fd = dial();
   handshake(fd);
   uint8_t *mem = create_target(fd, 1);
   for (int i = 0; i < 256; i++)
      mem[i] = (uint8_t)i;
   uint32_t t[10] = { 1, 0, 0, 0, 0, 8, 8, 1, 256, 0 };
   uint32_t bw[2] = { 1, 1 }, r[3];
   cmd(fd, 14, t, 10);                    /* TRANSFER_PUT2 */
   cmd(fd, 7, bw, 2);                     /* wait before reusing the memory, as Mesa does */
   get(fd, r, 12);
   memset(mem, 0, 256);
   cmd(fd, 13, t, 10);                    /* TRANSFER_GET2 */
   cmd(fd, 7, bw, 2);
   get(fd, r, 12);
   for (int i = 0; i < 256; i++)
      ck_assert_uint_eq(mem[i], (uint8_t)i);
   struct vgpu_enc e;
   vgpu_enc_init(&e);
   vgpu_enc_create_surface(&e, 1, 1, JIT_FORMAT_R8G8B8A8_UNORM, 0, 0, 0);
   uint32_t cb = 1;
   vgpu_enc_set_framebuffer(&e, 1, &cb, 0);
   const float c[4] = { 1.0f, 0.0f, 0.5f, 1.0f };
   vgpu_enc_clear(&e, PIPE_CLEAR_COLOR0, c, 1.0, 0);
   cmd(fd, 6, e.words, (uint32_t)e.len);
   vgpu_enc_free(&e);
   cmd(fd, 13, t, 10);
   cmd(fd, 7, bw, 2);
   get(fd, r, 12);
   ck_assert(mem[0] == 255 && mem[1] == 0 && mem[2] == 128 && mem[255] == 255);
   memcpy(last_seen, mem, 256);
   munmap(mem, 256);
   uint32_t h = 1;
   cmd(fd, 3, &h, 1);                     /* RESOURCE_UNREF */
   close(fd);
}

START_TEST(test_session)
{
   pthread_t t = start_server();
   good_client();
   good_client(); /* a second session on the same server */
   stop(t);
}
END_TEST

START_TEST(test_hostile_clients)
{
   pthread_t t = start_server();
   srand(99);
   for (int round = 0; round < 12; round++) {
      int fd = dial();
      switch (round % 6) {
      case 0: { /* random bytes */
         uint8_t junk[512];
         for (size_t i = 0; i < sizeof(junk); i++)
            junk[i] = (uint8_t)rand();
         send(fd, junk, sizeof(junk), MSG_NOSIGNAL);
         break;
      }
      case 1: { /* an absurd submit length after a proper handshake */
         handshake(fd);
         uint32_t h[2] = { 0x7fffffff, 6 };
         put(fd, h, 8);
         break;
      }
      case 2: { /* a command before CREATE_RENDERER, and an unknown one */
         uint32_t h[2] = { 0, 99 };
         put(fd, h, 8);
         break;
      }
      case 3: { /* an fd where none is expected */
         handshake(fd);
         int p[2];
         ck_assert_int_eq(pipe(p), 0);
         uint32_t h[2] = { 0, 10 };
         struct iovec iov = { h, 8 };
         union {
            struct cmsghdr c;
            char buf[CMSG_SPACE(sizeof(int))];
         } u;
         struct msghdr msg;
         memset(&msg, 0, sizeof(msg));
         msg.msg_iov = &iov;
         msg.msg_iovlen = 1;
         msg.msg_control = u.buf;
         msg.msg_controllen = sizeof(u.buf);
         struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
         cm->cmsg_level = SOL_SOCKET;
         cm->cmsg_type = SCM_RIGHTS;
         cm->cmsg_len = CMSG_LEN(sizeof(int));
         memcpy(CMSG_DATA(cm), &p[0], sizeof(int));
         ck_assert_int_eq(sendmsg(fd, &msg, MSG_NOSIGNAL), 8);
         close(p[0]);
         close(p[1]);
         get(fd, h, 8); /* the ping is still answered */
         ck_assert_uint_eq(h[1], 10);
         break;
      }
      case 4: { /* disconnect in the middle of a message */
         handshake(fd);
         uint32_t h[2] = { 100, 6 }, w[3] = { 1, 2, 3 };
         put(fd, h, 8);
         put(fd, w, 12);
         break;
      }
      default: { /* a bad virgl stream fails the client */
         handshake(fd);
         uint32_t bad[2] = { VGPU_CMD(VGPU_CCMD_DRAW_VBO, 0, 0xffff), 0 };
         cmd(fd, 6, bad, 2);
         break;
      }
      }
      close(fd);
      good_client(); /* the server still serves others */
   }
   stop(t);
}
END_TEST

struct frames {
   unsigned n;
   uint8_t last[256];
};

static int on_frame(void *user, unsigned index, uint32_t format, const uint8_t *data, uint32_t w, uint32_t h,
                    uint32_t stride)
{
   struct frames *f = user;
   f->n = index;
   ck_assert_uint_eq(format, JIT_FORMAT_R8G8B8A8_UNORM);
   ck_assert(w == 8 && h == 8 && stride == 32);
   memcpy(f->last, data, 256);
   return 0;
}

/* The capture's check value is the standard CRC-32: known answers, and a
 * bit-at-a-time CRC over every length and alignment up to 64 bytes, in
 * one piece and split. */
START_TEST(test_capture_crc32)
{
   ck_assert_uint_eq(vgpu_capture_crc32(0, "123456789", 9), 0xcbf43926u);
   ck_assert_uint_eq(vgpu_capture_crc32(0, "", 0), 0);
   ck_assert_uint_eq(vgpu_capture_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414fa339u);
   uint8_t buf[80];
   for (unsigned i = 0; i < sizeof(buf); i++)
      buf[i] = (uint8_t)(i * 37u + 11u);
   for (unsigned off = 0; off < 8; off++)
      for (unsigned n = 0; n <= 64; n++) {
         uint32_t ref = ~0u;
         for (unsigned i = 0; i < n; i++) {
            ref ^= buf[off + i];
            for (int k = 0; k < 8; k++)
               ref = (ref >> 1) ^ (0xedb88320u & (0u - (ref & 1)));
         }
         ref = ~ref;
         ck_assert_uint_eq(vgpu_capture_crc32(0, buf + off, n), ref);
         ck_assert_uint_eq(vgpu_capture_crc32(vgpu_capture_crc32(0, buf + off, n / 3), buf + off + n / 3, n - n / 3), ref);
      }
}
END_TEST

START_TEST(test_record_replay)
{
   char dir[] = "/tmp/tessera-rec-XXXXXX";
   ck_assert_ptr_nonnull(mkdtemp(dir));
   opts.record_dir = dir;
   pthread_t t = start_server();
   good_client();
   stop(t);
   opts.record_dir = NULL;
   char path[256], err[256];
   snprintf(path, sizeof(path), "%s/session-%d-1.tcap", dir, (int)getpid());
   for (unsigned threads = 1; threads <= 3; threads += 2) {
      struct frames fr = { 0 };
      struct vgpu_replay_stats st;
      int rr = vgpu_capture_replay(path, threads, on_frame, &fr, &st, err, sizeof(err));
      ck_assert_msg(rr == 0, "replay of %s: %s", path, err);
      ck_assert_uint_eq(fr.n, 2); /* the client read back twice */
      ck_assert_uint_eq(st.submits, 1);
      ck_assert(memcmp(fr.last, last_seen, 256) == 0); /* the same bytes the client saw */
   }
   /* damage: flip one byte in the middle, then truncate: replay stops and says where */
   FILE *f = fopen(path, "r+b");
   ck_assert_ptr_nonnull(f);
   fseek(f, 0, SEEK_END);
   long size = ftell(f);
   fseek(f, size / 2, SEEK_SET);
   int c = fgetc(f);
   fseek(f, size / 2, SEEK_SET);
   fputc(c ^ 0x40, f);
   fclose(f);
   struct vgpu_replay_stats st;
   ck_assert_int_eq(vgpu_capture_replay(path, 1, NULL, NULL, &st, err, sizeof(err)), 1);
   ck_assert_uint_gt(st.stop_record, 0);
   ck_assert_ptr_nonnull(strstr(st.stop_reason, "checksum"));
   ck_assert_int_eq(truncate(path, size - 3), 0);
   ck_assert_int_eq(vgpu_capture_replay(path, 1, NULL, NULL, &st, err, sizeof(err)), 1);
   ck_assert_int_eq(truncate(path, 10), 0);
   ck_assert_int_eq(vgpu_capture_replay(path, 1, NULL, NULL, &st, err, sizeof(err)), -1); /* header cut */
   unlink(path);
   rmdir(dir);
}
END_TEST

int main(void)
{
   signal(SIGPIPE, SIG_IGN);
   Suite *s = suite_create("vtest");
   TCase *tc = check_util_tcase(s, "server");
   tcase_add_test(tc, test_session);
   tcase_add_test(tc, test_hostile_clients);
   tcase_add_test(tc, test_capture_crc32);
   tcase_add_test(tc, test_record_replay);
   return check_util_run(s);
}
