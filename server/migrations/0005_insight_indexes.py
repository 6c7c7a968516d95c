from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_fieldwork_sync')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Dossier',
            index=Index(fields=['client_id', 'closed_at']),
        ),
        ops.AddIndex(
            model_name='Dossier',
            index=Index(fields=['closed_at']),
        ),
        ops.AddIndex(
            model_name='Dossier',
            index=Index(fields=['parent_id']),
        ),
        ops.AddIndex(
            model_name='DossierEvent',
            index=Index(fields=['kind', 'at']),
        ),
    ]
