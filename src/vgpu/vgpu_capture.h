/* vgpu_capture.h: the transaction log (first half): a self-contained,
 * versioned record of one client session (resources, command buffers, the
 * data transfers moved into resources, and the frames the client read
 * back), and its replay without any client. Format: docs/capture-format.md. */
#ifndef VGPU_CAPTURE_H
#define VGPU_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include "tessera.h"

#define VGPU_CAPTURE_MAGIC "TSRCAP01"
#define VGPU_CAPTURE_VERSION 1
#define VGPU_CAPTURE_MAX_RECORD (256u << 20) /* bytes of one record's payload */

enum vgpu_capture_record {
   VGPU_REC_RESOURCE_CREATE = 1,  /* 11 u32: handle, target, format, bind, w, h, d, array, last_level, samples, flags */
   VGPU_REC_RESOURCE_UNREF = 2,   /* u32 handle */
   VGPU_REC_SUBMIT = 3,           /* the command buffer's u32 words */
   VGPU_REC_WRITE = 4,            /* 8 u32: handle, level, x, y, z, w, h, d; then the box, tightly packed */
   VGPU_REC_FRAME = 5,            /* 8 u32: handle, level, x, y, z, w, h, d: a readback the client asked for */
};

struct vgpu_capture;

/* Open DIR/session-<pid>-<client>.tcap for writing. NULL with err on failure. */
struct vgpu_capture *vgpu_capture_open(const char *dir, unsigned client, const char *level, char *err,
                                       size_t err_size);
/* Append a record. After a write error the capture stops (one message on stderr). */
void vgpu_capture_record(struct vgpu_capture *cap, uint32_t type, const void *head, size_t head_size,
                         const void *data, size_t data_size);
void vgpu_capture_close(struct vgpu_capture *cap);
/* CRC-32 (IEEE 802.3) of n bytes continuing crc (0 to start): each record's
 * check value (docs/capture-format.md). */
uint32_t vgpu_capture_crc32(uint32_t crc, const void *data, size_t n);
const char *vgpu_capture_path(const struct vgpu_capture *cap);

struct vgpu_replay_stats {
   uint64_t records, submits, writes, frames, bytes;
   uint64_t stop_record;          /* record number where a damaged capture stopped (1-based), 0 if whole */
   uint64_t stop_offset;          /* byte offset of that record */
   char stop_reason[256];
};

/* Called for every frame record: the box read back from the resource, rows
 * stride bytes apart. Return nonzero to stop the replay. */
typedef int (*vgpu_replay_frame_fn)(void *user, unsigned index, uint32_t format, const uint8_t *data, uint32_t width,
                                    uint32_t height, uint32_t stride);

/* Replay path on a fresh renderer with `threads` threads. Returns 0 when the
 * whole capture replayed, 1 when it stopped at damage (stats say where and
 * why), -1 when it cannot be read at all (err says why). */
int vgpu_capture_replay(const char *path, unsigned threads, vgpu_replay_frame_fn frame, void *user,
                        struct vgpu_replay_stats *stats, char *err, size_t err_size);

#endif
