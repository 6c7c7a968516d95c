from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_messages_surveys')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Absence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('technician', fields.ForeignKeyField('models.Technician', source_field='technician_id', db_constraint=True, to_field='id', related_name='absences', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=10)),
                ('starts_on', fields.DateField(db_index=True)),
                ('ends_on', fields.DateField(db_index=True)),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_by', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'technician_absence', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Technician away (verlof, ziek, cursus) from starts_on to ends_on inclusive, off duty'},
            bases=['Model'],
        ),
    ]
