/* st_limits.h: every fixed limit of the state tracker (src/state), each with
 * its reason. Client requests beyond these fail the context with a message. */
#ifndef ST_LIMITS_H
#define ST_LIMITS_H

#define ST_MAX_SUB_CTX        64          /* sub-contexts per context (Mesa uses a handful) */
#define ST_MAX_OBJECTS        (1u << 20)  /* objects per sub-context: bounds handle-table memory */
#define ST_MAX_RESOURCES      (1u << 20)  /* resources per renderer */
#define ST_MAX_TEXTURE_SIZE   16384       /* width/height of a texture (caps: max_texture_2d_size) */
#define ST_MAX_TEXTURE_3D     2048        /* depth of a 3D texture */
#define ST_MAX_ARRAY_LAYERS   2048        /* layers of an array texture */
#define ST_MAX_BUFFER_SIZE    (1u << 30)  /* bytes of one buffer resource */
#define ST_MAX_RESOURCE_BYTES (1ull << 31) /* storage of one resource: a guest cannot make us allocate more */
#define ST_MAX_SHADER_BYTES   (1u << 20)  /* TGSI text of one shader (= JIT_MAX_TEXT) */
#define ST_MAX_VARIANTS       256         /* fragment+vertex variants cached per context (LRU) */
#define ST_MAX_INSTANCES      (1u << 20)  /* instances per draw: bounds the work of one command */
#define ST_MAX_DRAW_VERTICES  (1ull << 24) /* count x instances per draw: one command cannot occupy the workers for minutes */
#define ST_VS_FUSED_MIN_VERTICES 256    /* vertices (count x instances) of a draw that asks for the fused vertex variant */
#define ST_HUGE_STORAGE_MIN   (1u << 20)  /* resources this large get huge-page storage (st_resource.c) */
#define ST_DEFER_MAX_CONST_BYTES (64u << 10) /* fragment constants a deferred draw copies; more: it runs at once */

#endif
