namespace caisson::model {}
