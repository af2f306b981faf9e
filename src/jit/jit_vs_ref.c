/* jit_vs_ref.c: the reference vertex variant: vertex fetch for the bound
 * vertex elements (robust: a fetch past its buffer reads (0, 0, 0, 1)),
 * the interpreter over 16 vertices at a time, and the AoS output store the
 * rasterizer reads (jit_abi.h). Its compiled twin is jit_vs_fused.c. */
#include <string.h>

#include "jit/jit_llvm.h"
#include "jit/jit_variant.h"

static void vs_fetch(const struct jit_vs_ctx *ctx, const struct jit_vertex_element *el, uint32_t vertex_id,
                     uint32_t instance_id, float out[4])
{
   float one = 1.0f;
   const struct jit_format_desc *d = jit_format_get(el->src_format);
   if (d && d->kind == JIT_FORMAT_KIND_INT) {
      uint32_t o = 1;
      memcpy(&one, &o, 4);
   }
   out[0] = out[1] = out[2] = 0.0f;
   out[3] = one;
   if (!d || el->vertex_buffer_index >= JIT_MAX_VERTEX_BUFFERS)
      return;
   const struct jit_vertex_buffer *vb = &ctx->vb[el->vertex_buffer_index];
   if (!vb->data)
      return;
   uint64_t index = el->instance_divisor ? (uint64_t)ctx->start_instance + instance_id / el->instance_divisor
                                         : vertex_id;
   /* off + block_bytes <= size, asked without 64-bit wrap-around: index *
    * stride passes 2^64 for some client values of start_instance and stride */
   uint64_t room = (uint64_t)el->src_offset + d->block_bytes;
   if (room > vb->size || (vb->stride && index > (vb->size - room) / vb->stride))
      return;
   uint64_t off = index * vb->stride + el->src_offset;
   jit_format_unpack_rgba(el->src_format, vb->data + off, out);
}

void jit_vs_ref_run(const struct jit_vs_ctx *ctx, const struct jit_vs_batch *batch)
{
   const struct jit_vs_variant *v = ctx->variant;
   const struct jit_shader *sh = v->shader;
   struct jit_exec_io io;
   uint32_t nout = sh->num_outputs;
   if (nout * 4 > batch->out_stride)
      nout = batch->out_stride / 4;
   /* the fused variant finished compiling during this draw; not for a batch
    * with too short an output stride, which the fused code hands back here */
   if (ctx->late_fused && nout == sh->num_outputs) {
      jit_vs_func fused = (jit_vs_func)jit_late_poll(ctx->late_fused);
      if (fused) {
         fused(ctx, batch);
         return;
      }
   }
   /* each vertex's clip flags and window position (jit_abi.h), if asked and laid out sanely */
   const struct jit_vs_window *win = batch->window;
   if (win && !(win->pos_slot < sh->num_outputs && win->offset >= 4 * sh->num_outputs &&
                (uint64_t)win->offset + JIT_VS_WINDOW_FLOATS <= batch->out_stride))
      win = NULL;
   /* inputs no element feeds read 0 */
   uint32_t nin = v->key.num_elements > sh->num_inputs ? v->key.num_elements : sh->num_inputs;
   nin = nin < 1 ? 1 : nin > JIT_MAX_INPUTS ? JIT_MAX_INPUTS : nin;

   for (uint32_t base = 0; base < batch->count; base += JIT_LANES) {
      uint32_t n = batch->count - base < JIT_LANES ? batch->count - base : JIT_LANES;
      uint32_t mask = n == 32 ? ~0u : (1u << n) - 1;
      memset(io.in, 0, sizeof(io.in[0]) * nin);
      io.instance_id = batch->instance_id;
      for (uint32_t l = 0; l < JIT_LANES; l++)
         io.vertex_id[l] = l < n ? batch->vertex_ids[base + l] : 0;
      for (uint32_t e = 0; e < v->key.num_elements && e < JIT_MAX_INPUTS; e++)
         for (uint32_t l = 0; l < n; l++) {
            float val[4];
            vs_fetch(ctx, &v->key.elements[e], io.vertex_id[l], batch->instance_id, val);
            for (int c = 0; c < 4; c++)
               io.in[e][c][l] = val[c];
         }
      memset(io.out, 0, sizeof(io.out[0]) * (nout ? nout : 1));
      jit_shader_func native = ctx->native;
      if (!native && ctx->late)
         native = (jit_shader_func)jit_late_poll(ctx->late);
      if (native)
         native(&ctx->stage, &io, mask);
      else
         jit_interp_run(sh, &ctx->stage, &io, mask);
      for (uint32_t l = 0; l < n; l++) {
         float *o = batch->out + (size_t)(base + l) * batch->out_stride;
         for (uint32_t s = 0; s < nout; s++)
            for (int c = 0; c < 4; c++)
               o[s * 4 + c] = io.out[s][c][l];
         if (win)
            jit_vs_window_vertex(win, o + (size_t)win->pos_slot * 4, o + win->offset);
      }
   }
}
