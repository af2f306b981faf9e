/* vgpu_capture.c: writes and replays capture files (docs/capture-format.md).
 * Each record carries a CRC-32 so damage is found; replay stops at the first
 * damaged or truncated record and says where. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit/jit_format.h"
#include "vgpu/vgpu_capture.h"

struct vgpu_capture {
   FILE *f;                      /* owned; closed by vgpu_capture_close */
   int failed;                   /* a write failed: recording stopped */
   char path[4096];
};

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320), eight bytes per
 * step through eight tables (slicing-by-8). The bit-at-a-time loop it
 * replaces was 6.5% of a replay of the bench's smalltris capture. */
static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
   for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++)
         c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
      crc_tab[0][i] = c;
   }
   for (uint32_t i = 0; i < 256; i++)
      for (int t = 1; t < 8; t++)
         crc_tab[t][i] = (crc_tab[t - 1][i] >> 8) ^ crc_tab[0][crc_tab[t - 1][i] & 0xff];
}

uint32_t vgpu_capture_crc32(uint32_t crc, const void *data, size_t n)
{
   pthread_once(&crc_once, crc_init);
   const uint8_t *p = data;
   crc = ~crc;
   for (; n >= 8; n -= 8, p += 8) {
      uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
      uint32_t hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
      crc = crc_tab[7][lo & 0xff] ^ crc_tab[6][(lo >> 8) & 0xff] ^ crc_tab[5][(lo >> 16) & 0xff] ^
            crc_tab[4][lo >> 24] ^ crc_tab[3][hi & 0xff] ^ crc_tab[2][(hi >> 8) & 0xff] ^
            crc_tab[1][(hi >> 16) & 0xff] ^ crc_tab[0][hi >> 24];
   }
   while (n--)
      crc = (crc >> 8) ^ crc_tab[0][(crc ^ *p++) & 0xff];
   return ~crc;
}

struct vgpu_capture *vgpu_capture_open(const char *dir, unsigned client, const char *level, char *err,
                                       size_t err_size)
{
   struct vgpu_capture *cap = calloc(1, sizeof(*cap));
   if (!cap) {
      snprintf(err, err_size, "out of memory");
      return NULL;
   }
   snprintf(cap->path, sizeof(cap->path), "%s/session-%d-%u.tcap", dir, (int)getpid(), client);
   cap->f = fopen(cap->path, "wb");
   if (!cap->f) {
      snprintf(err, err_size, "%s: %s", cap->path, strerror(errno));
      free(cap);
      return NULL;
   }
   char head[32];
   memset(head, 0, sizeof(head));
   memcpy(head, VGPU_CAPTURE_MAGIC, 8);
   uint32_t v = VGPU_CAPTURE_VERSION;
   memcpy(head + 8, &v, 4);
   snprintf(head + 12, 20, "%s", level);
   if (fwrite(head, 1, sizeof(head), cap->f) != sizeof(head)) {
      snprintf(err, err_size, "%s: %s", cap->path, strerror(errno));
      fclose(cap->f);
      free(cap);
      return NULL;
   }
   return cap;
}

const char *vgpu_capture_path(const struct vgpu_capture *cap)
{
   return cap->path;
}

void vgpu_capture_record(struct vgpu_capture *cap, uint32_t type, const void *head, size_t head_size,
                         const void *data, size_t data_size)
{
   if (!cap || cap->failed)
      return;
   if (head_size + data_size > VGPU_CAPTURE_MAX_RECORD) {
      fprintf(stderr, "tessera serve: %s: a %zu-byte record exceeds the capture limit; recording stopped\n",
              cap->path, head_size + data_size);
      cap->failed = 1;
      return;
   }
   uint32_t hdr[2] = { type, (uint32_t)(head_size + data_size) };
   uint32_t crc = vgpu_capture_crc32(0, hdr, sizeof(hdr));
   crc = vgpu_capture_crc32(crc, head, head_size);
   crc = vgpu_capture_crc32(crc, data, data_size);
   if (fwrite(hdr, 1, sizeof(hdr), cap->f) != sizeof(hdr) ||
       (head_size && fwrite(head, 1, head_size, cap->f) != head_size) ||
       (data_size && fwrite(data, 1, data_size, cap->f) != data_size) || fwrite(&crc, 1, 4, cap->f) != 4) {
      fprintf(stderr, "tessera serve: %s: %s; recording stopped\n", cap->path, strerror(errno));
      cap->failed = 1;
   }
}

void vgpu_capture_close(struct vgpu_capture *cap)
{
   if (!cap)
      return;
   if (fclose(cap->f) != 0 && !cap->failed)
      fprintf(stderr, "tessera serve: %s: %s\n", cap->path, strerror(errno));
   free(cap);
}

/* ---- replay ------------------------------------------------------------------------- */

#define REPLAY_CTX 1

static int stopped(struct vgpu_replay_stats *st, uint64_t rec, uint64_t off, const char *fmt, const char *what)
{
   st->stop_record = rec;
   st->stop_offset = off;
   snprintf(st->stop_reason, sizeof(st->stop_reason), fmt, what);
   return 1;
}

int vgpu_capture_replay(const char *path, unsigned threads, vgpu_replay_frame_fn frame, void *user,
                        struct vgpu_replay_stats *st, char *err, size_t err_size)
{
   memset(st, 0, sizeof(*st));
   FILE *f = fopen(path, "rb");
   if (!f) {
      snprintf(err, err_size, "%s: %s", path, strerror(errno));
      return -1;
   }
   char head[32];
   uint32_t version;
   if (fread(head, 1, sizeof(head), f) != sizeof(head) || memcmp(head, VGPU_CAPTURE_MAGIC, 8) != 0) {
      snprintf(err, err_size, "%s: not a Tessera capture (bad magic)", path);
      fclose(f);
      return -1;
   }
   memcpy(&version, head + 8, 4);
   if (version != VGPU_CAPTURE_VERSION) {
      snprintf(err, err_size, "%s: capture version %u is not supported (this build reads %u)", path, version,
               VGPU_CAPTURE_VERSION);
      fclose(f);
      return -1;
   }
   struct tessera_renderer *r;
   struct tessera_renderer_options o = { threads };
   if (tessera_renderer_create(&o, &r) || tessera_context_create(r, REPLAY_CTX, "replay")) {
      snprintf(err, err_size, "cannot create a renderer");
      fclose(f);
      return -1;
   }
   /* formats of live resources, for frames (handle -> format, small open list) */
   uint32_t (*fmts)[2] = NULL;
   size_t nfmts = 0, fmts_cap = 0;
   uint8_t *buf = NULL;
   size_t buf_cap = 0;
   int ret = 0;
   uint64_t off = sizeof(head);
   for (uint64_t rec = 1;; rec++) {
      uint32_t hdr[2], crc;
      size_t got = fread(hdr, 1, sizeof(hdr), f);
      if (got == 0 && feof(f))
         break;
      if (got != sizeof(hdr)) {
         ret = stopped(st, rec, off, "%s", "truncated record header");
         break;
      }
      if (hdr[1] > VGPU_CAPTURE_MAX_RECORD) {
         ret = stopped(st, rec, off, "%s", "record length out of range");
         break;
      }
      if (hdr[1] + 4 > buf_cap) {
         uint8_t *n = realloc(buf, hdr[1] + 4);
         if (!n) {
            ret = stopped(st, rec, off, "%s", "out of memory");
            break;
         }
         buf = n;
         buf_cap = hdr[1] + 4;
      }
      if (fread(buf, 1, (size_t)hdr[1] + 4, f) != (size_t)hdr[1] + 4) {
         ret = stopped(st, rec, off, "%s", "truncated record");
         break;
      }
      memcpy(&crc, buf + hdr[1], 4);
      if (vgpu_capture_crc32(vgpu_capture_crc32(0, hdr, sizeof(hdr)), buf, hdr[1]) != crc) {
         ret = stopped(st, rec, off, "%s", "checksum mismatch (corrupt record)");
         break;
      }
      st->records++;
      st->bytes += hdr[1];
      const uint32_t *w = (const uint32_t *)(const void *)buf;
      uint32_t n = hdr[1];
      int bad = 0;
      switch (hdr[0]) {
      case VGPU_REC_RESOURCE_CREATE: {
         if (n != 44) {
            bad = 1;
            break;
         }
         struct tessera_resource_args a = { w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10] };
         tessera_resource_create(r, &a);
         tessera_context_attach_resource(r, REPLAY_CTX, w[0]);
         if (nfmts == fmts_cap) {
            size_t cap = fmts_cap ? fmts_cap * 2 : 64;
            uint32_t(*nf)[2] = realloc(fmts, cap * sizeof(*nf));
            if (!nf) {
               bad = 1;
               break;
            }
            fmts = nf;
            fmts_cap = cap;
         }
         fmts[nfmts][0] = w[0];
         fmts[nfmts][1] = w[2];
         nfmts++;
         break;
      }
      case VGPU_REC_RESOURCE_UNREF:
         if (n != 4) {
            bad = 1;
            break;
         }
         tessera_resource_unref(r, w[0]);
         for (size_t i = 0; i < nfmts; i++)
            if (fmts[i][0] == w[0]) {
               nfmts--;
               memcpy(fmts[i], fmts[nfmts], sizeof(fmts[i]));
               break;
            }
         break;
      case VGPU_REC_SUBMIT:
         if (n % 4) {
            bad = 1;
            break;
         }
         st->submits++;
         tessera_submit(r, REPLAY_CTX, w, n / 4); /* a context failure is reported at the end */
         break;
      case VGPU_REC_WRITE: {
         if (n < 32) {
            bad = 1;
            break;
         }
         struct tessera_box box = { w[2], w[3], w[4], w[5], w[6], w[7] };
         st->writes++;
         tessera_resource_write(r, REPLAY_CTX, w[0], w[1], &box, 0, 0, buf + 32, n - 32);
         break;
      }
      case VGPU_REC_FRAME: {
         if (n != 32) {
            bad = 1;
            break;
         }
         uint32_t format = 0;
         for (size_t i = 0; i < nfmts; i++)
            if (fmts[i][0] == w[0])
               format = fmts[i][1];
         const struct jit_format_desc *d = jit_format_get(format);
         if (!d || w[5] == 0 || w[6] == 0 || w[5] > 16384 || w[6] > 16384)
            break; /* not an image Tessera can write: skip it */
         size_t stride = (size_t)w[5] * d->block_bytes, size = stride * w[6];
         uint8_t *px = malloc(size);
         if (!px) {
            bad = 1;
            break;
         }
         struct tessera_box box = { w[2], w[3], w[4], w[5], w[6], 1 };
         if (tessera_resource_read(r, REPLAY_CTX, w[0], w[1], &box, (uint32_t)stride, 0, px, size) == 0) {
            st->frames++;
            if (frame && frame(user, (unsigned)st->frames, format, px, w[5], w[6], (uint32_t)stride)) {
               free(px);
               goto out;
            }
         }
         free(px);
         break;
      }
      default:
         bad = 1;
         break;
      }
      if (bad) {
         ret = stopped(st, rec, off, "%s", "malformed record");
         break;
      }
      off += 8 + (uint64_t)hdr[1] + 4;
   }
out:
   if (!ret && tessera_context_error(r, REPLAY_CTX))
      snprintf(st->stop_reason, sizeof(st->stop_reason), "the session's context failed: %s",
               tessera_context_error(r, REPLAY_CTX));
   free(buf);
   free(fmts);
   tessera_renderer_destroy(r);
   fclose(f);
   return ret;
}
