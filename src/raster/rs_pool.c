/* rs_pool.c: the rasterizer's pthread worker pool. One job at a time; items
 * are handed out dynamically through an atomic counter and the submitting
 * thread works too. Which thread runs an item never changes the result:
 * items (tiles) write disjoint memory. */
#include <stdlib.h>
#include <unistd.h>

#include "raster/rs_priv.h"

static void pool_work(struct rs_pool *pool)
{
   for (;;) {
      unsigned i = __atomic_fetch_add(&pool->next_item, 1, __ATOMIC_RELAXED);
      if (i >= pool->job_items)
         break;
      pool->job(pool->job_arg, i);
   }
}

static void *pool_main(void *arg)
{
   struct rs_pool *pool = arg;
   unsigned seen = 0;
   pthread_mutex_lock(&pool->lock);
   for (;;) {
      while (!pool->shutdown && pool->generation == seen)
         pthread_cond_wait(&pool->wake, &pool->lock);
      if (pool->shutdown)
         break;
      seen = pool->generation;
      pthread_mutex_unlock(&pool->lock);
      pool_work(pool);
      pthread_mutex_lock(&pool->lock);
      if (--pool->busy == 0)
         pthread_cond_signal(&pool->done);
   }
   pthread_mutex_unlock(&pool->lock);
   return NULL;
}

int rs_pool_create(unsigned threads, struct rs_pool **out)
{
   if (threads == 0) {
      long n = sysconf(_SC_NPROCESSORS_ONLN);
      threads = n > 0 ? (unsigned)n : 1;
   }
   if (threads > RS_MAX_THREADS)
      threads = RS_MAX_THREADS;
   struct rs_pool *pool = calloc(1, sizeof(*pool));
   if (!pool)
      return -1;
   pthread_mutex_init(&pool->lock, NULL);
   pthread_mutex_init(&pool->cache_lock, NULL);
   pthread_cond_init(&pool->wake, NULL);
   pthread_cond_init(&pool->done, NULL);
   pool->nthreads = 1;
   for (unsigned i = 1; i < threads; i++) {
      if (pthread_create(&pool->threads[i], NULL, pool_main, pool) != 0)
         break; /* run with the threads we got */
      pool->nthreads++;
   }
   *out = pool;
   return 0;
}

void rs_pool_destroy(struct rs_pool *pool)
{
   if (!pool)
      return;
   pthread_mutex_lock(&pool->lock);
   pool->shutdown = 1;
   pthread_cond_broadcast(&pool->wake);
   pthread_mutex_unlock(&pool->lock);
   for (unsigned i = 1; i < pool->nthreads; i++)
      pthread_join(pool->threads[i], NULL);
   rs_slot_cache_free(pool);
   pthread_mutex_destroy(&pool->cache_lock);
   pthread_cond_destroy(&pool->wake);
   pthread_cond_destroy(&pool->done);
   pthread_mutex_destroy(&pool->lock);
   free(pool);
}

unsigned rs_pool_threads(const struct rs_pool *pool)
{
   return pool->nthreads;
}

void rs_pool_run(struct rs_pool *pool, unsigned items, void (*job)(void *arg, unsigned item), void *arg)
{
   if (items == 0)
      return;
   pool->job = job;
   pool->job_arg = arg;
   pool->job_items = items;
   pool->next_item = 0;
   if (pool->nthreads == 1 || items == 1) {
      pool_work(pool);
      return;
   }
   pthread_mutex_lock(&pool->lock);
   pool->busy = pool->nthreads - 1;
   pool->generation++;
   pthread_cond_broadcast(&pool->wake);
   pthread_mutex_unlock(&pool->lock);
   pool_work(pool);
   pthread_mutex_lock(&pool->lock);
   while (pool->busy)
      pthread_cond_wait(&pool->done, &pool->lock);
   pthread_mutex_unlock(&pool->lock);
}
