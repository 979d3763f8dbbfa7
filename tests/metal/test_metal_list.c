/* SPDX-License-Identifier: BSD-3-Clause */
/* Tests of the intrusive list: add at both ends and around nodes, delete, iterate, find. */
#include <metal/list.h>
#include <metal/utilities.h>
#include "check.h"

struct item {
	int v;
	struct metal_list node;
};

/* Writes the values of list into out (at most max); returns how many. */
static int values(struct metal_list *list, int *out, int max)
{
	struct metal_list *n;
	int count = 0;

	metal_list_for_each(list, n)
	{
		if (count < max)
			out[count] = metal_container_of(n, struct item, node)->v;
		count++;
	}
	return count;
}

static void test_add_del(void)
{
	METAL_DECLARE_LIST(list);
	struct item a = {1, {0}}, b = {2, {0}}, c = {3, {0}}, d = {4, {0}}, e = {5, {0}};
	int v[8];

	CHECK(metal_list_is_empty(&list));
	CHECK(metal_list_first(&list) == NULL);
	metal_list_add_tail(&list, &b.node);
	metal_list_add_head(&list, &a.node);
	metal_list_add_tail(&list, &d.node);
	metal_list_add_before(&d.node, &c.node);
	metal_list_add_after(&d.node, &e.node);
	CHECK(!metal_list_is_empty(&list));
	CHECK_EQ_INT(values(&list, v, 8), 5);
	CHECK(v[0] == 1 && v[1] == 2 && v[2] == 3 && v[3] == 4 && v[4] == 5);
	CHECK(metal_list_first(&list) == &a.node);
	CHECK(metal_list_find_node(&list, &c.node));
	metal_list_del(&c.node);
	CHECK(!metal_list_find_node(&list, &c.node));
	metal_list_del(&c.node); /* second delete is harmless */
	CHECK_EQ_INT(values(&list, v, 8), 4);
	CHECK(v[0] == 1 && v[1] == 2 && v[2] == 4 && v[3] == 5);
	CHECK(list.prev == &e.node);
}

static void test_for_each_safe(void)
{
	struct metal_list list, *n, *tmp;
	struct item items[6];
	int i, v[8];

	metal_list_init(&list);
	for (i = 0; i < 6; i++) {
		items[i].v = i;
		metal_list_add_tail(&list, &items[i].node);
	}
	metal_list_for_each_safe(&list, tmp, n)
	{
		if (metal_container_of(n, struct item, node)->v % 2)
			metal_list_del(n);
	}
	CHECK_EQ_INT(values(&list, v, 8), 3);
	CHECK(v[0] == 0 && v[1] == 2 && v[2] == 4);
	metal_list_for_each_safe(&list, tmp, n) metal_list_del(n);
	CHECK(metal_list_is_empty(&list));
}

int main(void)
{
	RUN(test_add_del);
	RUN(test_for_each_safe);
	return check_summary();
}
