/*
 * hash.c - the pool of threads that read and hash files.
 *
 * Hashing a system's files is bound by SHA-256 (OpenSSL EVP uses the
 * CPU's SHA instructions) and by reading; one thread per core keeps
 * every core busy while the walking thread stats the next directory.
 * A job names a file below the root; a worker opens it through
 * openat2 (no symbolic link is followed unless the job asks for dpkg's
 * resolution inside the root), with O_NOATIME so that checking leaves
 * access times as they were, and O_NONBLOCK so that a FIFO swapped in
 * for a file cannot hang it.  It checks with fstat that it is still the
 * file the walk saw, reads the extended attributes from the same
 * descriptor, and reads the content once in large chunks (advising
 * sequential access, and with --nice dropping the pages afterwards so
 * that a check does not evict the host's working set).
 *
 * The queue is bounded: submit says when it is full, and the caller
 * takes finished jobs (the only way they come back) before submitting
 * more, so memory stays bounded however many files there are.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "integrity/fim_int.h"

#define QUEUE_MAX 4096
#define BUF_SIZE (1u << 20)
#define WORKERS_MAX 256

struct worker {
	struct ks_hash_pool *pool;
	pthread_t thread;
	bool started;
	unsigned char *buf;
	EVP_MD_CTX *ctx;
	struct ks_xreader *xr;
	bool noatime;
};

struct ks_hash_pool {
	pthread_mutex_t mu;
	pthread_cond_t queue_cv, done_cv;
	struct ks_hash_job *queue, *queue_tail, *done;
	size_t queued;               /* submitted and not yet taken */
	bool stop;
	int rootfd;
	bool nice;
	EVP_MD *md[2];               /* by enum ks_hash_algo */
	struct worker *w;
	unsigned nw;
};

unsigned
ks_cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

size_t
ks_hash_size(enum ks_hash_algo algo)
{
	return algo == KS_HASH_MD5 ? 16 : 32;
}

int
ks_fim_lower_priority(struct ks_err *err)
{
	/* ioprio_set(IOPRIO_WHO_PROCESS, self, IOPRIO_CLASS_IDLE): no wrapper */
	const int who_process = 1, class_idle = 3, class_shift = 13;

	if (setpriority(PRIO_PROCESS, 0, 10) < 0)
		return ks_err_set(err, "setpriority: %s", strerror(errno));
	if (syscall(SYS_ioprio_set, who_process, 0,
	    class_idle << class_shift) < 0)
		return ks_err_set(err, "ioprio_set: %s", strerror(errno));
	return 0;
}

static int
open_job(struct worker *w, const struct ks_hash_job *job)
{
	int flags = O_RDONLY | O_NONBLOCK;
	int fd;

	fd = ks_root_openat(w->pool->rootfd, job->rel,
	    flags | (w->noatime ? O_NOATIME : 0), job->resolve);
	if (fd < 0 && errno == EPERM && w->noatime) {
		/* O_NOATIME needs ownership or CAP_FOWNER */
		w->noatime = false;
		fd = ks_root_openat(w->pool->rootfd, job->rel, flags,
		    job->resolve);
	}
	return fd;
}

static void
open_failed(struct ks_hash_job *job, int e)
{
	if (e == ENOENT || e == ENOTDIR) {
		job->res = KS_JOB_MISSING;
	} else if (e == ELOOP) {
		/* O_NOFOLLOW met a symbolic link where a file was */
		job->res = KS_JOB_NOT_REGULAR;
		job->st.st_mode = S_IFLNK | 0777;
	} else {
		job->res = KS_JOB_ERROR;
		job->err = e;
	}
}

/* Reads and hashes fd up to the job's limit. */
static int
digest(struct worker *w, struct ks_hash_job *job, int fd)
{
	EVP_MD_CTX *ctx = w->ctx;
	unsigned mdlen = 0;
	uint64_t want;
	ssize_t r;

	if (EVP_DigestInit_ex2(ctx, w->pool->md[job->algo], NULL) != 1)
		return EIO;
	if ((uint64_t)job->st.st_size > BUF_SIZE)
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (job->bytes < job->limit) {
		want = job->limit - job->bytes;
		r = read(fd, w->buf, want < BUF_SIZE ? (size_t)want : BUF_SIZE);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (EVP_DigestUpdate(ctx, w->buf, (size_t)r) != 1)
			return EIO;
		job->bytes += (uint64_t)r;
	}
	if (EVP_DigestFinal_ex(ctx, job->md, &mdlen) != 1)
		return EIO;
	job->mdlen = mdlen;
	if (w->pool->nice)
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	return 0;
}

static void
run_job(struct worker *w, struct ks_hash_job *job)
{
	int fd, e;

	job->res = KS_JOB_OK;
	job->err = job->xerr = 0;
	job->mdlen = 0;
	job->bytes = 0;
	memset(&job->st, 0, sizeof(job->st));
	if ((fd = open_job(w, job)) < 0) {
		open_failed(job, errno);
		return;
	}
	if (fstat(fd, &job->st) < 0) {
		job->res = KS_JOB_ERROR;
		job->err = errno;
	} else if (!S_ISREG(job->st.st_mode)) {
		job->res = KS_JOB_NOT_REGULAR;
	} else if (job->check_id && ((uint64_t)job->st.st_dev != job->dev ||
	    (uint64_t)job->st.st_ino != job->ino)) {
		job->res = KS_JOB_RACE;
	} else {
		if (job->x != NULL && ks_xattrs_read(w->xr, fd, NULL, job->x) < 0)
			job->xerr = errno;
		if ((e = digest(w, job, fd)) != 0) {
			job->res = KS_JOB_ERROR;
			job->err = e;
		}
	}
	close(fd);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct ks_hash_pool *p = w->pool;
	struct ks_hash_job *job;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->queue == NULL && !p->stop)
			pthread_cond_wait(&p->queue_cv, &p->mu);
		if ((job = p->queue) == NULL)
			break;
		if ((p->queue = job->next) == NULL)
			p->queue_tail = NULL;
		pthread_mutex_unlock(&p->mu);
		run_job(w, job);
		pthread_mutex_lock(&p->mu);
		job->next = p->done;
		p->done = job;
		pthread_cond_signal(&p->done_cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int
worker_init(struct ks_hash_pool *p, struct worker *w, struct ks_err *err)
{
	w->pool = p;
	w->noatime = true;
	if ((w->buf = malloc(BUF_SIZE)) == NULL ||
	    (w->ctx = EVP_MD_CTX_new()) == NULL)
		return ks_err_set(err, "out of memory");
	if (ks_xreader_new(&w->xr, err) < 0)
		return -1;
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
		return ks_err_set(err, "cannot start a hashing thread");
	w->started = true;
	return 0;
}

int
ks_hash_pool_new(struct ks_hash_pool **out, int rootfd, unsigned workers,
    bool nice, struct ks_err *err)
{
	struct ks_hash_pool *p;

	*out = NULL;
	if (workers == 0)
		workers = ks_cpu_count();
	if (workers > WORKERS_MAX)
		workers = WORKERS_MAX;
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->w = calloc(workers, sizeof(*p->w))) == NULL) {
		free(p);
		return ks_err_set(err, "out of memory");
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->queue_cv, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	p->rootfd = rootfd;
	p->nice = nice;
	p->md[KS_HASH_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
	p->md[KS_HASH_MD5] = EVP_MD_fetch(NULL, "MD5", NULL);
	if (p->md[KS_HASH_SHA256] == NULL || p->md[KS_HASH_MD5] == NULL) {
		ks_hash_pool_free(p);
		return ks_err_set(err, "OpenSSL has no SHA-256 or MD5");
	}
	for (p->nw = 0; p->nw < workers; p->nw++)
		if (worker_init(p, &p->w[p->nw], err) < 0) {
			p->nw++;
			ks_hash_pool_free(p);
			return -1;
		}
	*out = p;
	return 0;
}

bool
ks_hash_pool_submit(struct ks_hash_pool *p, struct ks_hash_job *job)
{
	bool ok;

	pthread_mutex_lock(&p->mu);
	if ((ok = p->queued < QUEUE_MAX)) {
		job->next = NULL;
		if (p->queue_tail != NULL)
			p->queue_tail->next = job;
		else
			p->queue = job;
		p->queue_tail = job;
		p->queued++;
		pthread_cond_signal(&p->queue_cv);
	}
	pthread_mutex_unlock(&p->mu);
	return ok;
}

struct ks_hash_job *
ks_hash_pool_take(struct ks_hash_pool *p)
{
	struct ks_hash_job *list = NULL, *job, *next;

	pthread_mutex_lock(&p->mu);
	while (p->done == NULL && p->queued > 0)
		pthread_cond_wait(&p->done_cv, &p->mu);
	/* reversed, so that jobs come back about in the order they went */
	for (job = p->done; job != NULL; job = next) {
		next = job->next;
		job->next = list;
		list = job;
		p->queued--;
	}
	p->done = NULL;
	pthread_mutex_unlock(&p->mu);
	return list;
}

void
ks_hash_pool_free(struct ks_hash_pool *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_cond_broadcast(&p->queue_cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nw; i++) {
		if (p->w[i].started)
			pthread_join(p->w[i].thread, NULL);
		free(p->w[i].buf);
		EVP_MD_CTX_free(p->w[i].ctx);
		ks_xreader_free(p->w[i].xr);
	}
	EVP_MD_free(p->md[KS_HASH_SHA256]);
	EVP_MD_free(p->md[KS_HASH_MD5]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->queue_cv);
	pthread_cond_destroy(&p->done_cv);
	free(p->w);
	free(p);
}
