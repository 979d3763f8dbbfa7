/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Intrusive circular doubly-linked lists: struct metal_list is embedded in
 * the listed object and the list head is a metal_list whose next/prev point
 * at itself when empty. All functions are inline and need no locking of their
 * own: the caller serialises access to a list.
 */
#ifndef METAL_LIST_H
#define METAL_LIST_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A list head or a node in a list. */
struct metal_list {
	struct metal_list *next, *prev;
};

/* Initializer for a list head called name: an empty list. */
#define METAL_INIT_LIST(name)                                                                      \
	{                                                                                          \
		.next = &(name), .prev = &(name)                                                   \
	}

/* Defines an empty list head called name. */
#define METAL_DECLARE_LIST(name) struct metal_list name = METAL_INIT_LIST(name)

/* metal_list_init - make list an empty list. */
static inline void metal_list_init(struct metal_list *list)
{
	list->next = list;
	list->prev = list;
}

/* metal_list_add_before - insert new_node just before node. */
static inline void metal_list_add_before(struct metal_list *node, struct metal_list *new_node)
{
	new_node->prev = node->prev;
	new_node->next = node;
	new_node->next->prev = new_node;
	new_node->prev->next = new_node;
}

/* metal_list_add_after - insert new_node just after node. */
static inline void metal_list_add_after(struct metal_list *node, struct metal_list *new_node)
{
	new_node->prev = node;
	new_node->next = node->next;
	new_node->next->prev = new_node;
	new_node->prev->next = new_node;
}

/* metal_list_add_head - insert node at the front of list. */
static inline void metal_list_add_head(struct metal_list *list, struct metal_list *node)
{
	metal_list_add_after(list, node);
}

/* metal_list_add_tail - insert node at the end of list. */
static inline void metal_list_add_tail(struct metal_list *list, struct metal_list *node)
{
	metal_list_add_before(list, node);
}

/* metal_list_is_empty - Returns non-zero when list holds no node. */
static inline int metal_list_is_empty(struct metal_list *list)
{
	return list->next == list;
}

/*
 * metal_list_del - unlink node from its list. The node is left pointing at
 * itself, so deleting it a second time is harmless.
 */
static inline void metal_list_del(struct metal_list *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	node->next = node;
	node->prev = node;
}

/* metal_list_first - Returns the first node of list, or NULL when empty. */
static inline struct metal_list *metal_list_first(struct metal_list *list)
{
	return metal_list_is_empty(list) ? NULL : list->next;
}

/* Iterate node over every node of list (do not delete node in the body). */
#define metal_list_for_each(list, node)                                                            \
	for ((node) = (list)->next; (node) != (list); (node) = (node)->next)

/* Iterate node over list; temp holds the next node so node may be deleted. */
#define metal_list_for_each_safe(list, temp, node)                                                 \
	for ((node) = (list)->next, (temp) = (node)->next; (node) != (list);                       \
	     (node) = (temp), (temp) = (node)->next)

/* metal_list_find_node - Returns true when node is a member of list. */
static inline bool metal_list_find_node(struct metal_list *list, struct metal_list *node)
{
	struct metal_list *n;

	metal_list_for_each(list, n)
	{
		if (n == node)
			return true;
	}
	return false;
}

#ifdef __cplusplus
}
#endif

#endif /* METAL_LIST_H */
