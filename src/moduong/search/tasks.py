from django_tasks import task

from . import services


@task(queue_name="search")
def search_entry_sync(content_type_id: int, object_id: int) -> bool:
    return services.search_entry_sync(content_type_id=content_type_id, object_id=object_id)


@task(queue_name="search")
def search_subtree_sync(page_id: int) -> int:
    return services.search_subtree_sync(page_id=page_id)
